package dev.ferry.config;

import dev.ferry.logging.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and checked config file. Made by {@link ConfigLoader#load}; read by {@code daemon}.
 *
 * @param file            the config file, absolute
 * @param stateDir        where journals and indexes live (not created here; {@code daemon} creates it)
 * @param receive         present when this host accepts pushes
 * @param sync            folders this host watches and pushes, in file order; may be empty
 * @param shutdownTimeout the longest an orderly stop (SIGTERM, SIGINT) may take, all parts together, before the
 *                        process exits anyway; 1s to 10m
 * @param logFormat       how log lines are written on stderr: text (the default) or json
 * @param metrics         where the Prometheus endpoint listens ({@code metrics: HOST:PORT}); empty (the default): none.
 *                        Read at start only: a reload does not move it
 */
public record FerryConfig(Path file, Path stateDir, Optional<ReceiveConfig> receive, List<SyncConfig> sync,
                          Duration shutdownTimeout, LogFormat logFormat, Optional<HostPort> metrics) {
    /** Under systemd's default stop timeout (90 s), with room for the JVM to exit after the orderly stop. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /** Time for the journals' last group commit and the sessions' goodbyes, however busy the disk. */
    public static final Duration MIN_SHUTDOWN_TIMEOUT = Duration.ofSeconds(1);
    /** A stop that needs longer is stuck; an init system would have given up long before. */
    public static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofMinutes(10);

    public FerryConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(receive, "receive");
        sync = List.copyOf(sync);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(metrics, "metrics");
        if (!shutdownTimeoutInRange(shutdownTimeout)) {
            throw new IllegalArgumentException("shutdownTimeout=" + Durations.format(shutdownTimeout) + " is outside "
                    + Durations.format(MIN_SHUTDOWN_TIMEOUT) + ".." + Durations.format(MAX_SHUTDOWN_TIMEOUT));
        }
    }

    /** Without a metrics endpoint. */
    public FerryConfig(Path file, Path stateDir, Optional<ReceiveConfig> receive, List<SyncConfig> sync,
                       Duration shutdownTimeout, LogFormat logFormat) {
        this(file, stateDir, receive, sync, shutdownTimeout, logFormat, Optional.empty());
    }

    /** With the default log format. */
    public FerryConfig(Path file, Path stateDir, Optional<ReceiveConfig> receive, List<SyncConfig> sync,
                       Duration shutdownTimeout) {
        this(file, stateDir, receive, sync, shutdownTimeout, LogFormat.DEFAULT);
    }

    /** With the default {@link #DEFAULT_SHUTDOWN_TIMEOUT} and log format. */
    public FerryConfig(Path file, Path stateDir, Optional<ReceiveConfig> receive, List<SyncConfig> sync) {
        this(file, stateDir, receive, sync, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /** This config with other parts running: what a daemon runs after a reload that could not start all of them. */
    public FerryConfig with(Optional<ReceiveConfig> newReceive, List<SyncConfig> newSync) {
        return new FerryConfig(file, stateDir, newReceive, newSync, shutdownTimeout, logFormat, metrics);
    }

    // The range rule, one home: the constructor and ConfigLoader both ask it (each with its own message).

    static boolean shutdownTimeoutInRange(Duration timeout) {
        return timeout.compareTo(MIN_SHUTDOWN_TIMEOUT) >= 0 && timeout.compareTo(MAX_SHUTDOWN_TIMEOUT) <= 0;
    }
}
