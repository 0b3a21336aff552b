package dev.ferry.daemon;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.Durations;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.logging.LogFormat;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.PairStatus;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.status.Version;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code ferry daemon --config FILE} runs: the receiver (if the config has a {@code receive} section) and one
 * {@link SyncPair} per {@code sync} entry. Start is all-or-nothing: if any part fails, what had started is stopped
 * again and the first failure is thrown with the others suppressed. Stop goes in reverse order, within the config's
 * one {@code shutdown-timeout}. {@link #reload} reads the config file again and applies the difference
 * ({@link ConfigChange}, {@link Reload}); a file that does not load changes nothing.
 *
 * <p>Threads: started, reloaded and closed by one thread (the CLI's main thread, which takes the signals from its
 * queue); {@link #pairs}, {@link #receiver} and {@link #shutdownTimeout} may be read from any thread.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    /**
     * Told about the daemon's lifecycle, on the thread that runs it: the one place a readiness notifier (systemd's
     * {@code sd_notify}) plugs in. Every method does nothing unless overridden.
     */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** The daemon is running (every part started); {@code summary} is the line it logged. */
        default void ready(String summary) {
        }

        /** A reload begins: the config file is about to be read again. */
        default void reloading() {
        }

        /** The reload is over, applied or refused; {@code summary} says what changed, or why nothing did. */
        default void reloaded(String summary) {
        }

        /** An orderly stop begins. */
        default void stopping() {
        }
    }

    private final Parts parts;
    private final Listener listener;
    private final Instant startedAt;
    private volatile RunningParts running;
    private boolean closed;

    private Daemon(Parts parts, Listener listener, RunningParts running) {
        this.parts = parts;
        this.listener = listener;
        this.startedAt = parts.clock().instant();
        this.running = running;
    }

    /**
     * @param receiverSettings turns the config's receive section into receiver settings (the CLI's mapping, which
     *                         reads the token file)
     */
    public static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings)
            throws IOException {
        return start(config, receiverSettings, Listener.NONE);
    }

    /** @param listener told when the daemon is ready, reloads and stops (see {@link Listener}) */
    public static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                               Listener listener) throws IOException {
        return start(config, receiverSettings, PairOptions.defaults(), FerryClock.system(), listener);
    }

    static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                        PairOptions options) throws IOException {
        return start(config, receiverSettings, options, FerryClock.system());
    }

    /** @param clock what every pair and target decides time by (debounce, rename window, retries, parking) */
    static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                        PairOptions options, FerryClock clock) throws IOException {
        return start(config, receiverSettings, options, clock, Listener.NONE);
    }

    private static Daemon start(FerryConfig config, Function<ReceiveConfig, ReceiverSettings> receiverSettings,
                                PairOptions options, FerryClock clock, Listener listener) throws IOException {
        warnIfPlaintext(config);
        Parts parts = new Parts(receiverSettings, options, clock, new LatencyRecorder());
        TokenPrints tokens = TokenPrints.of(config); // before the parts read them: a change after this is a rotation
        Receiver receiver = null;
        List<SyncPair> pairs = new ArrayList<>();
        try {
            Files.createDirectories(config.stateDir());
            if (config.receive().isPresent()) {
                receiver = parts.receiver(config.receive().get());
            }
            for (SyncConfig sc : config.sync()) {
                parts.pair(sc, config.stateDir(), pairs);
            }
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = parts.stop(receiver, pairs, clock.deadlineIn(config.shutdownTimeout()));
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
        String summary = "daemon running: receiver=" + (receiver == null ? "none" : receiver.address()) + " pairs="
                + pairs.size();
        log.info(summary);
        Daemon daemon = new Daemon(parts, listener, new RunningParts(config, tokens, receiver, pairs));
        listener.ready(summary);
        return daemon;
    }

    /** The one WARN at start of a config that said {@code transport: plaintext}. */
    private static void warnIfPlaintext(FerryConfig config) {
        List<String> plain = new ArrayList<>();
        config.receive().filter(rc -> rc.identity().isEmpty()).ifPresent(rc -> plain.add("the receiver on " + rc.listen()));
        for (SyncConfig sc : config.sync()) {
            if (sc.identity().isEmpty()) {
                sc.targets().forEach(t -> plain.add(t.address().toString()));
            }
        }
        if (!plain.isEmpty()) {
            log.warn("traffic to/from {} is not encrypted (transport: plaintext); for TLS give each host an identity"
                    + " (ferry keygen DIR) and pin the receiver's ID", String.join(", ", plain));
        }
    }

    public Optional<Receiver> receiver() {
        return Optional.ofNullable(running.receiver());
    }

    List<SyncPair> pairs() {
        return running.pairs();
    }

    /** How many sync pairs run now (after a reload, as far as the new config's started). */
    public int pairCount() {
        return running.pairs().size();
    }

    /** The config as far as it runs: a part a reload could not start is left out (the next reload tries again). */
    FerryConfig config() {
        return running.config();
    }

    /**
     * What every part is doing now, for {@code ferry status} and the metrics; any thread, cheap enough to answer every
     * request (it lists each target's journal folder and each receive folder's partial files).
     */
    public DaemonStatus status() {
        RunningParts now = running;
        List<PairStatus> pairs = new ArrayList<>();
        for (SyncPair p : now.pairs()) {
            pairs.add(p.status());
        }
        ReceiverStatus receiver = now.receiver() == null ? null : now.receiver().status();
        return new DaemonStatus(Version.number(), ProcessHandle.current().pid(), startedAt, parts.clock().instant(), pairs,
                receiver, parts.latency().snapshot());
    }

    /** The running config's {@code shutdown-timeout}: how long {@link #close} may take. */
    public Duration shutdownTimeout() {
        return running.config().shutdownTimeout();
    }

    /** The running config's {@code log-format} (a reload may change it). */
    public LogFormat logFormat() {
        return running.config().logFormat();
    }

    /**
     * Reads the config file again. If it does not load, logs one ERROR with its file, line and key and changes
     * nothing; otherwise starts, stops and restarts the parts that differ ({@link ConfigChange}) and logs one INFO
     * line saying what changed. Returns that line.
     */
    public synchronized String reload() {
        if (closed) {
            return "stopped; nothing to reload";
        }
        listener.reloading();
        RunningParts now = running;
        String summary;
        try {
            FerryConfig loaded = ConfigLoader.load(now.config().file());
            Reload.Outcome outcome = new Reload(parts, now).apply(loaded);
            running = outcome.running();
            summary = "reload: " + outcome.summary();
            if (outcome.failures() == 0) {
                log.info(summary);
            } else {
                log.error(summary);
            }
        } catch (ConfigException e) {
            summary = "reload refused, still running the previous config: " + e.getMessage();
            log.error(summary);
        }
        listener.reloaded(summary);
        return summary;
    }

    /** Stops the pairs (their targets first), then the receiver, all within one {@code shutdown-timeout}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.stopping();
        RunningParts now = running;
        Duration timeout = now.config().shutdownTimeout();
        Deadline deadline = parts.clock().deadlineIn(timeout);
        RuntimeException failure = parts.stop(now.receiver(), now.pairs(), deadline);
        if (deadline.expired()) {
            log.warn("daemon stopped at its shutdown-timeout ({}): a part was still busy", Durations.format(timeout));
        } else {
            log.info("daemon stopped");
        }
        if (failure != null) {
            throw failure;
        }
    }
}
