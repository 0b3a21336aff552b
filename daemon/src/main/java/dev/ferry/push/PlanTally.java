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
    private long chunksSent;
    private long chunksResent;
    private long bytesSent;
    private long wireBytes;

    void failed(String path, String reason) {
        failures.add(new PushResult.Failure(path, reason));
    }

    void treeOpDone() {
        treeOps++;
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

    PushResult result(List<String> skipped, Duration elapsed) {
        return new PushResult(filesSent, filesUnchanged, directories, treeOps, chunksSent, chunksResent, bytesSent, wireBytes,
                failures, skipped, elapsed);
    }
}
