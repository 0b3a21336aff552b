package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.Durability;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry receive}: serve folders until SIGTERM/SIGINT. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = "Accept pushes into local folders (from flags, or the 'receive' section of a config file).")
final class ReceiveCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config; its 'receive' section is used")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "address to listen on, e.g. 0.0.0.0:7878")
    String listen;

    @Option(names = "--folder", paramLabel = "NAME=DIR", description = "a folder senders may push into (repeatable)")
    List<String> folders = List.of();

    @Option(names = "--token-file", paramLabel = "FILE", description = "shared token file")
    Path tokenFile;

    @Option(names = "--durability", paramLabel = "fsync|none", description = "fsync files before acknowledging (default fsync)")
    String durability;

    @Option(names = "--max-connections", paramLabel = "N", description = "concurrent connections (default 64)")
    Integer maxConnections;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ReceiveConfig rc = config != null ? fromFile() : fromFlags();
        ReceiverSettings settings = settings(rc);
        Receiver receiver = Receiver.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            receiver.close();
            stopped.countDown();
        }, "ferry-shutdown"));
        System.err.println("ferry: receiving on " + receiver.address() + " into " + rc.folders());
        stopped.await();
        return Main.OK;
    }

    private ReceiveConfig fromFile() {
        if (listen != null || !folders.isEmpty() || tokenFile != null) {
            throw new Main.UsageException("give either --config or --listen/--folder/--token-file, not both");
        }
        try {
            FerryConfig fc = ConfigLoader.load(config);
            return fc.receive().orElseThrow(() -> new Main.UsageException(config + " has no 'receive' section"));
        } catch (ConfigException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    private ReceiveConfig fromFlags() {
        if (listen == null || folders.isEmpty() || tokenFile == null) {
            throw new Main.UsageException("receive needs --listen HOST:PORT, --folder NAME=DIR and --token-file FILE (or --config FILE)");
        }
        Map<String, Path> map = new LinkedHashMap<>();
        for (String f : folders) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1) {
                throw new Main.UsageException("--folder '" + f + "' must look like NAME=DIR");
            }
            map.put(f.substring(0, eq), Path.of(f.substring(eq + 1)).toAbsolutePath());
        }
        try {
            ReceiveConfig d = ReceiveConfig.defaults(HostPort.parse(listen), tokenFile.toAbsolutePath(), map);
            return new ReceiveConfig(d.listen(), d.tokenFile(), d.folders(),
                    maxConnections == null ? d.maxConnections() : maxConnections, d.readTimeout(),
                    durability == null ? d.durability() : Durability.parse(durability), d.maxFileSize());
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    static ReceiverSettings settings(ReceiveConfig rc) {
        return new ReceiverSettings(new InetSocketAddress(rc.listen().host(), rc.listen().port()), TokenOption.load(rc.tokenFile()),
                rc.folders(), rc.maxConnections(), Duration.ofSeconds(10), rc.readTimeout(), rc.durability() == Durability.FSYNC,
                rc.maxFileSize(), WireLimits.defaults());
    }
}
