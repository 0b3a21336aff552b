package dev.ferry.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one plan did so far, counted as it goes: becomes its {@link PushResult}. Owned by the writer thread. */
final class PlanTally {
    private final List<PushResult.Failure> failures = new ArrayList<>();
    private int filesSent;
    private int filesUnchanged;
    private int directories;
    private int treeOps;
    private int symlinks;
    private int deleted;
    private int replaced;
    private long chunksSent;
    private long chunksResent;
    private long bytesSent;
    private long wireBytes;

    void failed(String path, String reason) {
        failures.add(new PushResult.Failure(path, reason));
    }

    void treeOpDone(PushPlan.TreeEdit op) {
        treeOps++;
        switch (op) {
            case PushPlan.TreeEdit.Symlink l -> symlinks++;
            case PushPlan.TreeEdit.Delete d when d.replaced() -> replaced++;
            case PushPlan.TreeEdit.Delete d -> deleted++;
            case PushPlan.TreeEdit.Rename r -> {
            }
        }
    }

    void directoryDone() {
        directories++;
    }

    /** A file is DONE: {@code identical} if the receiver already held it. */
    void fileDone(boolean identical) {
        if (identical) {
            filesUnchanged++;
        } else {
            filesSent++;
        }
    }

    /** A CHUNK of {@code length} bytes went out as {@code wire} bytes (compressed or not), for the {@code attempt}-th time. */
    void chunkSent(int length, int wire, int attempt) {
        chunksSent++;
        bytesSent += length;
        wireBytes += wire;
        if (attempt > 1) {
            chunksResent++;
        }
    }

    /** A stripe of a file of this plan went out on another connection: its chunks count here. */
    void stripeSent(StripeResult r) {
        chunksSent += r.chunksSent();
        chunksResent += r.chunksResent();
        bytesSent += r.bytesSent();
        wireBytes += r.wireBytes();
    }

    PushResult result(PushPlan plan, Duration elapsed) {
        PushPlan.InSync inSync = plan.inSync();
        return new PushResult(filesSent, filesUnchanged + inSync.files().size(), directories + inSync.directories().size(),
                treeOps, symlinks, inSync.symlinks().size(), deleted,
                replaced, chunksSent, chunksResent, bytesSent, wireBytes, failures, plan.skipped(), plan.excluded(), elapsed);
    }
}
