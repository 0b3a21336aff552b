package dev.ferry.daemon;

import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * How the daemon starts and stops its parts, the one way both its start and a reload use. Runs on the thread that
 * starts, reloads or stops the daemon.
 *
 * @param receiverSettings the CLI's mapping of a receive section to receiver settings (it reads the token file)
 * @param clock            what every part decides time by
 * @param latency          every pair's change-to-commit times (one histogram for the daemon, kept across reloads)
 */
record Parts(Function<ReceiveConfig, ReceiverSettings> receiverSettings, PairOptions options, FerryClock clock,
             LatencyRecorder latency) {

    Receiver receiver(ReceiveConfig config) throws IOException {
        return Receiver.start(receiverSettings.apply(config), clock);
    }

    /**
     * Starts a pair and adds it to {@code started}, before its start: if the start fails, the pair (half started: its
     * watch, the targets before the one that failed) is the last of {@code started}, for the caller to stop.
     */
    SyncPair pair(SyncConfig config, Path stateDir, List<SyncPair> started) throws IOException {
        SyncPair pair = new SyncPair(config, stateDir, options, clock, latency);
        started.add(pair);
        pair.start();
        return pair;
    }

    /**
     * Stops {@code pairs} in reverse order (each its targets first), then {@code receiver} if not null, all within
     * {@code deadline}. Every part is stopped even if one fails; returns the first failure with the others
     * suppressed, or null.
     */
    RuntimeException stop(Receiver receiver, List<SyncPair> pairs, Deadline deadline) {
        RuntimeException failure = null;
        for (SyncPair p : pairs.reversed()) {
            try {
                p.close(deadline);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (receiver != null) {
            receiver.close(deadline);
        }
        return failure;
    }
}
