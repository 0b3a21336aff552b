package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.daemon.Daemon;
import dev.ferry.receive.Receiver;
import dev.ferry.service.SystemdNotifier;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** {@code ferry daemon --config FILE}: receive and sync as the config says, until SIGTERM/SIGINT. */
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
        Daemon daemon = Daemon.start(config, ReceiveCommand::settings);
        // under systemd (Type=notify): READY=1 once the receiver listens and every pair has started, STOPPING=1
        SystemdNotifier systemd = SystemdNotifier.fromEnvironment();
        UntilSignal.run(() -> {
            systemd.stopping();
            daemon.close();
        }, () -> systemd.ready(statusLine(config.sync().size(), daemon.receiver().map(Receiver::address))));
        return ExitCode.OK;
    }

    /** The one-line STATUS= systemd shows: {@code 2 pairs, receiver on 0.0.0.0:7878}, {@code 1 pair, no receiver}. */
    static String statusLine(int pairs, Optional<InetSocketAddress> receiver) {
        String where = receiver.map(a -> a.getAddress() instanceof Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort()).map(a -> "receiver on " + a).orElse("no receiver");
        return pairs + (pairs == 1 ? " pair, " : " pairs, ") + where;
    }
}
