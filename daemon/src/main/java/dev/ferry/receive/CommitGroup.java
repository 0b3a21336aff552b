package dev.ferry.receive;

import java.io.IOException;
import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified files waiting for steps 2 and 3 of their commit ({@link VerifiedFile#force}, {@link
 * VerifiedFile#install}), gathered so that a burst of small files shares its syncs. Either way the guarantee is the
 * same: a file's data is on disk before its rename, and the rename before its DONE.
 * <ul>
 *   <li>a group of {@link #BY_FILE_SYSTEM_FROM} files or more: one syncfs of the folder's file system for all the
 *       data, the renames, one more syncfs for all the directory entries (see {@link Sync#FILE_SYSTEM});</li>
 *   <li>a smaller group: each file forced in parallel (one fsync at a time costs ~1.5-3 ms here, 32 at once ~0.4 ms
 *       each), the renames, each directory that changed synced once.</li>
 * </ul>
 * Owned by a session's thread; reports each file's end through {@link Outcome}.
 */
final class CommitGroup {
    private static final Logger log = LoggerFactory.getLogger(CommitGroup.class);
    /** At most this many files wait; the one that fills the group flushes it. */
    static final int MAX = 64;

    /** What became of each file of a flushed group. */
    interface Outcome {
        void committed(VerifiedFile f) throws IOException;

        void failed(VerifiedFile f, FileFailure failure) throws IOException;
    }

    /**
     * The size from which a group is synced by file system. syncfs also writes out whatever else is dirty on that file
     * system (another session's big file, other programs' files), which a small group should not wait for.
     */
    static final int BY_FILE_SYSTEM_FROM = 8;

    /** How a group of {@link #BY_FILE_SYSTEM_FROM} or more files is made durable (a system property, for measuring). */
    enum Sync {
        /** One syncfs before the renames and one after, for the whole group. */
        FILE_SYSTEM,
        /** An fsync per file and per directory, as a small group's. */
        FILES;

        static final String PROPERTY = "ferry.commit.sync";

        static Sync configured() {
            return "files".equals(System.getProperty(PROPERTY)) ? FILES : FILE_SYSTEM;
        }
    }

    /**
     * How long a small durable group waits for more files when the inbox runs dry in a burst: less than one fsync
     * here (~1.5-3 ms), so that a burst of small files is committed in groups that one syncfs serves rather than in
     * pairs each fsynced, as a sender refilling its window after a big group's DONEs otherwise makes it.
     */
    static final Duration GATHER = Duration.ofMillis(2);
    /** A burst: a group was flushed less than this long ago. A file after a quiet spell never waits. */
    static final Duration BURST = Duration.ofMillis(50);

    private final boolean fsync;
    private final FerryClock clock;
    private final Sync sync = Sync.configured();
    private final List<VerifiedFile> waiting = new ArrayList<>();
    /** When the last group was flushed; {@code clock.nanoTime() - BURST} before the first. */
    private long flushedAtNs;

    CommitGroup(boolean fsync, FerryClock clock) {
        this.fsync = fsync;
        this.clock = clock;
        this.flushedAtNs = clock.nanoTime() - BURST.toNanos();
    }

    /**
     * True if the waiting files are fewer than a syncfs serves and a group was flushed within {@link #BURST}: the
     * session then waits up to {@link #GATHER} for more before it flushes.
     */
    boolean worthGathering() {
        return fsync && sync == Sync.FILE_SYSTEM && !waiting.isEmpty() && waiting.size() < BY_FILE_SYSTEM_FROM
                && clock.nanoTime() - flushedAtNs < BURST.toNanos();
    }

    /** Adds a file; true when the group is full and should be flushed now. */
    boolean add(VerifiedFile f) {
        waiting.add(f);
        return waiting.size() >= MAX;
    }

    /** The file waits in this group (its COMMIT came and was verified). */
    boolean holds(int fileId) {
        return waiting.stream().anyMatch(f -> f.fileId() == fileId);
    }

    /** The file failed or was abandoned before its turn: it is not committed. */
    void withdraw(int fileId) {
        waiting.removeIf(f -> f.fileId() == fileId);
    }

    /** Commits the waiting files and empties the group. */
    void flush(Outcome outcome) throws IOException {
        if (waiting.isEmpty()) {
            return;
        }
        List<VerifiedFile> group = List.copyOf(waiting);
        waiting.clear();
        flushedAtNs = clock.nanoTime();
        boolean byFileSystem = fsync && sync == Sync.FILE_SYSTEM && group.size() >= BY_FILE_SYSTEM_FROM;
        if (log.isTraceEnabled()) {
            log.trace("commit group files={} syncfs={}", group.size(), byFileSystem);
        }
        Map<Integer, FileFailure> failures = byFileSystem ? syncFileSystem(group, "cannot commit") : forceEach(group);
        Map<String, List<VerifiedFile>> byDirectory = new LinkedHashMap<>();
        for (VerifiedFile f : group) {
            FileFailure failure = failures.get(f.fileId());
            if (failure != null) {
                outcome.failed(f, failure);
                continue;
            }
            try {
                byDirectory.computeIfAbsent(f.install(), d -> new ArrayList<>()).add(f);
            } catch (FileFailure e) {
                outcome.failed(f, e);
            }
        }
        if (byFileSystem) {
            List<VerifiedFile> installed = byDirectory.values().stream().flatMap(List::stream).toList();
            Map<Integer, FileFailure> unsynced = syncFileSystem(installed, "cannot sync directory of");
            for (VerifiedFile f : installed) {
                FileFailure failure = unsynced.get(f.fileId());
                if (failure != null) {
                    outcome.failed(f, failure);
                } else {
                    outcome.committed(f);
                }
            }
            return;
        }
        for (Map.Entry<String, List<VerifiedFile>> dir : byDirectory.entrySet()) {
            try {
                if (fsync) {
                    dir.getValue().getFirst().folder().fsyncDir(dir.getKey());
                }
            } catch (IOException e) {
                for (VerifiedFile f : dir.getValue()) {
                    outcome.failed(f, FileFailure.of("cannot sync directory of '" + f.printablePath() + "'", e));
                }
                continue;
            }
            for (VerifiedFile f : dir.getValue()) {
                outcome.committed(f);
            }
        }
    }

    /** Each file forced, in parallel; the files that could not be, with why. */
    private static Map<Integer, FileFailure> forceEach(List<VerifiedFile> group) {
        Map<Integer, FileFailure> failures = new ConcurrentHashMap<>();
        if (group.size() == 1) {
            force(group.getFirst(), failures);
        } else {
            try (var parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                group.forEach(f -> parallel.submit(() -> force(f, failures)));
            }
        }
        return failures;
    }

    /** One syncfs for all of {@code files} (one session's: one folder); if it fails, every one of them fails. */
    private static Map<Integer, FileFailure> syncFileSystem(List<VerifiedFile> files, String failedTo) {
        Map<Integer, FileFailure> failures = new HashMap<>();
        if (files.isEmpty()) {
            return failures;
        }
        try {
            files.getFirst().folder().syncFileSystem();
        } catch (IOException e) {
            for (VerifiedFile f : files) {
                failures.put(f.fileId(), FileFailure.of(failedTo + " '" + f.printablePath() + "'", e));
            }
        }
        return failures;
    }

    private static void force(VerifiedFile f, Map<Integer, FileFailure> failures) {
        try {
            f.force();
        } catch (FileFailure e) {
            failures.put(f.fileId(), e);
        }
    }
}
