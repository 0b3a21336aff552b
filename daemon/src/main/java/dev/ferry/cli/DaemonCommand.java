package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.daemon.Daemon;
import dev.ferry.logging.FerryLogConfigurator;
import dev.ferry.service.SystemdNotifier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** {@code ferry daemon --config FILE}: receive and sync as the config says, reload on SIGHUP, until SIGTERM/SIGINT. */
final class DaemonCommand implements Verb {
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
        Daemon daemon = Daemon.start(config, ReceiveCommand::settings, systemd);
        return signals.serve(new Signals.Service() {
            @Override
            public void reload() {
                daemon.reload();
                FerryLogConfigurator.use(daemon.logFormat()); // (the same one, unless the reload changed it)
            }

            @Override
            public void close() {
                daemon.close();
            }

            @Override
            public Duration shutdownTimeout() {
                return daemon.shutdownTimeout();
            }
        }, () -> systemd.started(daemon));
    }
}
