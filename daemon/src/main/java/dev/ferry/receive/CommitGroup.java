package dev.ferry.receive;

import dev.ferry.disk.Directories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Verified files waiting for steps 2 and 3 of their commit ({@link IncomingFile#forceData}, {@link
 * IncomingFile#install}), gathered so that a burst of small files shares its fsyncs: the files are forced in
 * parallel (one fsync at a time costs ~1.5-3 ms here, 32 at once ~0.4 ms each), renamed into place, and each
 * directory that changed is synced once.
 */
final class CommitGroup {
    /** At most this many files wait; the one that fills the group flushes it. */
    static final int MAX = 64;

    record Pending(int fileId, IncomingFile file, byte[] fileHash) {
    }

    /** What became of each file of a flushed group. */
    interface Outcome {
        void committed(Pending p) throws IOException;

        void failed(Pending p, FileFailure f) throws IOException;
    }

    private final boolean fsync;
    private final List<Pending> pending = new ArrayList<>();

    CommitGroup(boolean fsync) {
        this.fsync = fsync;
    }

    /** Adds a file; true when the group is full and should be flushed now. */
    boolean add(Pending p) {
        pending.add(p);
        return pending.size() >= MAX;
    }

    /** Commits the files {@code stillWanted} keeps (the others were abandoned or failed meanwhile) and empties the group. */
    void flush(Predicate<Pending> stillWanted, Outcome outcome) throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> group = pending.stream().filter(stillWanted).toList();
        pending.clear();
        Map<Integer, FileFailure> failures = new ConcurrentHashMap<>();
        if (group.size() == 1) {
            force(group.getFirst(), failures);
        } else {
            try (var parallel = Executors.newVirtualThreadPerTaskExecutor()) {
                group.forEach(p -> parallel.submit(() -> force(p, failures)));
            }
        }
        Map<Path, List<Pending>> byDirectory = new LinkedHashMap<>();
        for (Pending p : group) {
            FileFailure f = failures.get(p.fileId());
            if (f != null) {
                outcome.failed(p, f);
                continue;
            }
            try {
                byDirectory.computeIfAbsent(p.file().install(), d -> new ArrayList<>()).add(p);
            } catch (FileFailure e) {
                outcome.failed(p, e);
            }
        }
        for (Map.Entry<Path, List<Pending>> dir : byDirectory.entrySet()) {
            try {
                if (fsync) {
                    Directories.fsync(dir.getKey());
                }
            } catch (IOException e) {
                for (Pending p : dir.getValue()) {
                    outcome.failed(p, FileFailure.of("cannot sync directory of '" + SafePaths.printable(p.file().offer().path()) + "'", e));
                }
                continue;
            }
            for (Pending p : dir.getValue()) {
                outcome.committed(p);
            }
        }
    }

    private static void force(Pending p, Map<Integer, FileFailure> failures) {
        try {
            p.file().forceData();
        } catch (FileFailure e) {
            failures.put(p.fileId(), e);
        }
    }
}
