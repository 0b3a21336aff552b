package dev.ferry.daemon;

import dev.ferry.journal.FileProgress;
import dev.ferry.journal.FileVersion;
import dev.ferry.journal.Journal;
import dev.ferry.journal.JournalOptions;
import dev.ferry.journal.JournalState;
import dev.ferry.journal.PendingTreeOp;
import dev.ferry.journal.TreeOp;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.push.TransferListener;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's {@link Journal}: every file set out for it (with its version), every chunk the receiver
 * acknowledged or refused, every commit, and the tree operations queued and done. On start the target replays
 * it first ({@link #unfinished}, {@link #pendingOps}), so that work a crash interrupted resumes before anything
 * else; the receiver's NEED then names the chunks it still lacks (its sidecars are the truth about its disk).
 * Listener calls come from the target's connection threads; the journal is safe for that. A journal that fails
 * (its disk full, say) is logged once and no longer written: syncing goes on, only the restart shortcut is lost.
 */
final class TargetJournal implements TransferListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetJournal.class);

    private final Journal journal;
    private final String target;
    /** Remote path → journal id of the version on its way. */
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final AtomicBoolean broken = new AtomicBoolean();

    /** The journal's folder. */
    private final Path dir;

    private TargetJournal(Journal journal, String target, Path dir) {
        this.journal = journal;
        this.target = target;
        this.dir = dir;
    }

    /** @param clock the wall clock its records are stamped with (the daemon's one clock) */
    static TargetJournal open(Path dir, String target, Duration commitInterval, FerryClock clock) throws IOException {
        JournalOptions options = JournalOptions.DEFAULTS.withCommitInterval(commitInterval);
        return new TargetJournal(Journal.open(dir, options, clock), target, dir);
    }

    /** The bytes of the journal's files on disk now (0 if they cannot be listed); any thread. */
    long bytesOnDisk() {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Files set out and neither committed nor dropped, oldest first. */
    List<FileProgress> unfinished() {
        return journal.state().files();
    }

    /** Tree operations queued and not known done, in order. */
    List<PendingTreeOp> pendingOps() {
        return journal.state().treeOps();
    }

    JournalState state() {
        return journal.state();
    }

    @Override
    public void started(SourceEntry file, int chunkSize, int chunkCount, byte[] fileHash) {
        write(() -> ids.put(file.remotePath(), journal.enqueueFile(file.remotePath(), new FileVersion(file.size(),
                file.mtimeSeconds() * 1_000_000_000L + file.mtimeNanos(), fileHash, chunkSize, chunkCount))));
    }

    @Override
    public void acked(SourceEntry file, int index) {
        Long id = ids.get(file.remotePath());
        if (id != null) {
            write(() -> journal.chunksAcked(id, index, index + 1));
        }
    }

    @Override
    public void refused(SourceEntry file, int index, int attempt, String reason) {
        Long id = ids.get(file.remotePath());
        if (id != null) {
            write(() -> journal.chunkFailed(id, index, attempt, reason));
        }
    }

    @Override
    public void committed(SourceEntry file) {
        Long id = ids.remove(file.remotePath());
        if (id != null) {
            write(() -> journal.fileCommitted(id));
        }
    }

    // failed(...): stays unfinished on purpose; the target retries it (and parks it if it keeps failing)

    /** The file is gone from the source (or superseded by a delete): nothing left to finish. */
    void dropped(long fileId, String reason) {
        write(() -> journal.fileDropped(fileId, reason));
    }

    void parked(String remotePath, String reason, long retryAtEpochMillis) {
        FileProgress p = journal.state().files().stream().filter(f -> f.path().equals(remotePath)).findFirst().orElse(null);
        if (p != null) {
            write(() -> journal.fileParked(p.fileId(), reason, retryAtEpochMillis));
        }
    }

    /** Records tree operations about to go out; returns their journal ids, in order. */
    List<Long> queued(List<PushPlan.TreeEdit> ops) {
        List<Long> opIds = new ArrayList<>();
        for (PushPlan.TreeEdit op : ops) {
            TreeOp j = switch (op) {
                case PushPlan.TreeEdit.Delete d -> new TreeOp.Delete(d.path());
                case PushPlan.TreeEdit.Rename r -> new TreeOp.Rename(r.from(), r.to());
                case PushPlan.TreeEdit.Symlink l -> new TreeOp.Symlink(l.path(), l.target());
            };
            write(() -> opIds.add(journal.queueTreeOp(j)));
        }
        return opIds;
    }

    void done(List<Long> opIds) {
        for (long id : opIds) {
            write(() -> journal.treeOpDone(id));
        }
    }

    /** Forces what is recorded to disk (before the daemon reports itself stopped). */
    void sync() {
        write(journal::sync);
    }

    private interface Append {
        void run() throws IOException;
    }

    private void write(Append a) {
        if (broken.get()) {
            return;
        }
        try {
            a.run();
        } catch (IOException | RuntimeException e) {
            if (broken.compareAndSet(false, true)) {
                log.error("target={} journal failed, no longer recorded (syncing goes on; a restart re-checks"
                        + " everything against the target): {}", target, e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            log.warn("target={} closing its journal: {}", target, e.toString());
        }
    }
}
