package dev.ferry.daemon;

import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.status.SenderCounters;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A target's totals since it started: added by its thread after each plan, read from any thread for status and
 * metrics.
 */
final class TargetCounters {
    private final AtomicLong filesSent = new AtomicLong();
    private final AtomicLong filesUnchanged = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong wireBytes = new AtomicLong();
    private final AtomicLong chunksSent = new AtomicLong();
    private final AtomicLong chunksResent = new AtomicLong();
    private final AtomicLong treeOps = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong renames = new AtomicLong();
    private final AtomicLong authFailures = new AtomicLong();

    /** What one connection's share of a plan did. */
    void add(PushResult r) {
        filesSent.addAndGet(r.filesSent());
        filesUnchanged.addAndGet(r.filesUnchanged());
        bytesSent.addAndGet(r.bytesSent());
        wireBytes.addAndGet(r.wireBytes());
        chunksSent.addAndGet(r.chunksSent());
        chunksResent.addAndGet(r.chunksResent());
        treeOps.addAndGet(r.treeOps());
    }

    /** The deletes and renames of {@code plan} that did not fail (a failure names the op's path). */
    void treeEditsDone(PushPlan plan, List<PushResult.Failure> failures) {
        Set<String> failed = new HashSet<>();
        failures.forEach(f -> failed.add(f.path()));
        for (PushPlan.TreeEdit op : plan.ops()) {
            if (failed.contains(op.path())) {
                continue;
            }
            switch (op) {
                case PushPlan.TreeEdit.Delete d -> deletes.incrementAndGet();
                case PushPlan.TreeEdit.Rename r -> renames.incrementAndGet();
                default -> {
                }
            }
        }
    }

    void authFailed() {
        authFailures.incrementAndGet();
    }

    long chunksSent() {
        return chunksSent.get();
    }

    long filesSent() {
        return filesSent.get();
    }

    long treeOps() {
        return treeOps.get();
    }

    SenderCounters snapshot(Map<String, Long> nacksByReason, int connections, long journalBytes) {
        return new SenderCounters(filesSent.get(), filesUnchanged.get(), bytesSent.get(), wireBytes.get(), chunksSent.get(),
                chunksResent.get(), nacksByReason, deletes.get(), renames.get(), authFailures.get(), connections,
                journalBytes);
    }
}
