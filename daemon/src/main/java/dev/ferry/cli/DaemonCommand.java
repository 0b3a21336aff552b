package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.HostPort;
import dev.ferry.daemon.Daemon;
import dev.ferry.logging.FerryLogConfigurator;
import dev.ferry.metrics.MetricsEndpoint;
import dev.ferry.service.SystemdNotifier;
import dev.ferry.status.ControlServer;
import dev.ferry.status.DaemonStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ferry daemon --config FILE}: receive and sync as the config says, reload on SIGHUP, until SIGTERM/SIGINT. */
final class DaemonCommand implements Verb {
    private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);

    @Override
    public String name() {
        return "daemon";
    }

    @Override
    public String summary() {
        return "watch folders and keep their targets in sync; receive pushes (from a config file)";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry daemon --config FILE
                Run the 'receive' section (if any) and every 'sync' pair of a YAML config until SIGTERM or SIGINT:
                each source folder is watched and its targets are kept an exact mirror of it.

                Signals: SIGHUP reads the config again and applies what changed (pairs added, removed or
                changed start, stop or restart; unchanged ones go on; a changed receive section restarts the
                receiver); a config that does not load is logged and changes nothing. SIGTERM/SIGINT stop in
                order within shutdown-timeout (default 10s) and exit 0; a second one exits at once with 1.

                ferry status asks it what it is doing, over its control socket: $RUNTIME_DIRECTORY/control.sock
                under systemd, else control.sock in the state-dir (owner-only; a stale one is replaced, and
                another daemon answering there stops this one from starting).
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of("--config");
    }

    @Override

    public int run(Args args) throws IOException, InterruptedException {
        args.expectPositionals(name());
        String file = args.value("--config");
        if (file == null) {
            throw new UsageException("daemon needs --config FILE");
        }
        FerryConfig config;
        try {
            config = ConfigLoader.load(Path.of(file));
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
        FerryLogConfigurator.use(config.logFormat());
        Signals signals = Signals.install(config.shutdownTimeout());
        // under systemd (Type=notify): READY=1, RELOADING=1 and READY=1 around a reload, STOPPING=1
        SystemdListener systemd = new SystemdListener(SystemdNotifier.fromEnvironment());
        // bound first: a second daemon on the same socket (and state-dir) stops before it touches anything, and
        // ferry status answers "starting" during a long first scan instead of "no daemon"
        AtomicReference<Daemon> started = new AtomicReference<>();
        ControlServer control = control(ControlSocketPaths.forDaemon(System.getenv("RUNTIME_DIRECTORY"), config.stateDir()),
                () -> started.get() == null ? null : started.get().status());
        Daemon daemon = null;
        Optional<MetricsEndpoint> metrics;
        try {
            daemon = Daemon.start(config, ReceiveCommand::settings, systemd);
            // after the daemon (it reads the daemon's status), before READY=1; a port that cannot be bound stops the start
            metrics = startMetrics(config.metrics(), daemon::status);
        } catch (IOException | RuntimeException e) {
            rollBack(e, daemon, control);
            throw e;
        }
        started.set(daemon);
        Daemon running = daemon;
        return signals.serve(new Signals.Service() {
            @Override
            public void reload() {
                running.reload();
                FerryLogConfigurator.use(running.logFormat()); // (the same one, unless the reload changed it)
            }

            @Override
            public void close() {
                try {
                    if (control != null) {
                        control.close(); // first: no status of a daemon half stopped
                    }
                    metrics.ifPresent(MetricsEndpoint::close);
                } finally {
                    running.close();
                }
            }

            @Override
            public Duration shutdownTimeout() {
                return running.shutdownTimeout();
            }
        }, () -> systemd.started(running));
    }

    /** A start that failed half-way: what had started stops (its failures added to {@code e}). */
    private static void rollBack(Exception e, Daemon daemon, ControlServer control) {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } catch (RuntimeException closing) {
            e.addSuppressed(closing);
        } finally {
            if (control != null) {
                control.close();
            }
        }
    }

    private static Optional<MetricsEndpoint> startMetrics(Optional<HostPort> address, Supplier<DaemonStatus> status)
            throws IOException {
        if (address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(MetricsEndpoint.start(new InetSocketAddress(address.get().host(), address.get().port()),
                status));
    }

    /**
     * The control socket for {@code ferry status}. Another daemon answering there stops this one (it would share
     * the state-dir too); any other failure (a path too long for a Unix socket, a read-only folder) only costs the
     * status: logged, and the daemon runs without it (null).
     */
    private static ControlServer control(Path socket, Supplier<DaemonStatus> status) throws IOException {
        try {
            return ControlServer.start(socket, status);
        } catch (ControlServer.InUse e) {
            throw e;
        } catch (IOException e) {
            log.warn("running without a control socket, so ferry status cannot reach this daemon: {}", e.getMessage());
            return null;
        }
    }
}
