package dev.ferry.daemon;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ferry daemon --config FILE} runs: the receiver (if the config has a {@code receive} section) and one
 * {@link SyncPair} per {@code sync} entry. Start is all-or-nothing: if any part fails, what had started is stopped
 * again and the first failure is thrown with the others suppressed. Stop goes in reverse order.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /** The longest a stop waits for the daemon's threads, all of them together (one deadline, not one per thread). */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    private final Receiver receiver;
    private final List<SyncPair> pairs;
    private final FerryClock clock;

    private Daemon(Receiver receiver, List<SyncPair> pairs, FerryClock clock) {
        this.receiver = receiver;
        this.pairs = pairs;
        this.clock = clock;
    }

    /**
     * @param receiverSettings turns the config's receive section into receiver settings (the CLI's mapping, which
     *                         reads the token file)
     */
    public static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings)
            throws IOException {
        return start(config, receiverSettings, PairOptions.defaults());
    }

    static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                        PairOptions options) throws IOException {
        return start(config, receiverSettings, options, FerryClock.system());
    }

    /** @param clock what every pair and target decides time by (debounce, rename window, retries, parking) */
    static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                        PairOptions options, FerryClock clock) throws IOException {
        Receiver receiver = null;
        List<SyncPair> pairs = new ArrayList<>();
        try {
            Files.createDirectories(config.stateDir());
            if (config.receive().isPresent()) {
                receiver = Receiver.start(receiverSettings.apply(config.receive().get()), clock);
            }
            for (SyncConfig sc : config.sync()) {
                SyncPair pair = new SyncPair(sc, config.stateDir(), options, clock);
                pairs.add(pair);
                pair.start();
            }
        } catch (IOException | RuntimeException e) {
            Deadline rollback = clock.deadlineIn(SHUTDOWN_GRACE);
            for (SyncPair p : pairs.reversed()) {
                try {
                    p.close(rollback);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (receiver != null) {
                receiver.close(rollback);
            }
            throw e;
        }
        log.info("daemon running: receiver={} pairs={}", receiver == null ? "none" : receiver.address(), pairs.size());
        return new Daemon(receiver, List.copyOf(pairs), clock);
    }

    public Optional<Receiver> receiver() {
        return Optional.ofNullable(receiver);
    }

    List<SyncPair> pairs() {
        return pairs;
    }

    /** Stops the pairs (their targets first), then the receiver, all within one {@link #SHUTDOWN_GRACE}. */
    @Override
    public void close() {
        Deadline deadline = clock.deadlineIn(SHUTDOWN_GRACE);
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
        log.info("daemon stopped");
        if (failure != null) {
            throw failure;
        }
    }
}
