package dev.ferry.cli;

import dev.ferry.config.SyncConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The demo's big file: written beside the source, moved in (one event, as a program that saves atomically makes), and
 * while it travels the receiver is stopped and started again, as a receiving host that restarts would be. The daemon
 * reconnects by itself; the receiver finds the chunks it had made durable in its partial file and asks only for the
 * rest. Runs on the demo's thread.
 */
final class DroppedLinkStep {
    static final String NAME = "big.bin";
    static final long SIZE = 64L << 20;
    /** The link drops once the receiver has this share of the file's chunks. */
    static final double DROP_AT = 0.4;
    /** The bounded wait for the file, reconnection included. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    private final DemoFolder folder;
    private final DemoRig rig;
    private final Arrival arrival;

    DroppedLinkStep(DemoFolder folder, DemoRig rig, Arrival arrival) {
        this.folder = folder;
        this.rig = rig;
        this.arrival = arrival;
    }

    void run(PrintStream out) throws IOException {
        Path staged = folder.staging().resolve(NAME);
        DemoTree.writeBig(staged, SIZE, 13);
        long chunks = (SIZE + SyncConfig.DEFAULT_CHUNK_SIZE - 1) / SyncConfig.DEFAULT_CHUNK_SIZE;
        long dropAt = (long) Math.ceil(chunks * DROP_AT);
        long before = rig.receiver().stats().snapshot().chunksReceived();
        Files.move(staged, folder.source().resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
        long changedAt = arrival.now();
        arrival.await(NAME + "'s first chunks", changedAt, LIMIT,
                () -> rig.receiver().stats().snapshot().chunksReceived() - before >= dropAt);
        long received = rig.receiver().stats().snapshot().chunksReceived() - before;
        boolean dropped = received < chunks;
        if (dropped) {
            rig.dropLink();
        }
        long took = arrival.await(NAME, changedAt, LIMIT, () -> TreeDiff.fileDifference(folder.source().resolve(NAME),
                folder.target().resolve(NAME)) == null);
        String what = NAME + " (" + ProgressLine.size(SIZE) + ")";
        if (!dropped) {
            DemoSteps.print(out, what + ", sent before the link could drop", "arrived in " + Arrival.format(took));
            return;
        }
        long resumed = rig.receiver().stats().snapshot().chunksResumed();
        DemoSteps.print(out, what + ", link dropped at " + received * 100 / chunks + "%", "resumed, arrived in "
                + Arrival.format(took) + " (" + resumed + " of " + chunks + " chunks were already there)");
    }
}
