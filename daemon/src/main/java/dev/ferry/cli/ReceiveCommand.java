package dev.ferry.cli;

import dev.ferry.auth.FolderAccess;
import dev.ferry.auth.PeerId;
import dev.ferry.auth.Token;
import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.Durability;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.logging.FerryLogConfigurator;
import dev.ferry.logging.LogFormat;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.status.ControlServer;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.Version;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ferry receive}: serve folders until SIGTERM/SIGINT (an orderly stop, exit 0; see {@link Signals}). SIGHUP is
 * logged and ignored: only {@code ferry daemon} reloads.
 */
final class ReceiveCommand implements Verb {
    private static final Logger log = LoggerFactory.getLogger(ReceiveCommand.class);
    private Path config;
    private String listen;
    private List<String> folders = List.of();
    private List<String> allow = List.of();
    private Path identity;
    private Path tokenFile;
    private String durability;
    private Integer maxConnections;
    /** {@code --log-format}: over the config's {@code log-format}; null: the config's, or text. */
    private LogFormat logFormat;
    /** The config's {@code shutdown-timeout} with {@code --config}, else its default. */
    private Duration shutdownTimeout = FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT;

    @Override
    public String name() {
        return "receive";
    }

    @Override
    public String summary() {
        return "accept pushes into local folders";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry receive --listen HOST:PORT --identity DIR --folder NAME=DIR... --allow NAME=ID...
                       ferry receive --listen HOST:PORT --folder NAME=DIR... --token-file FILE [OPTIONS]
                       ferry receive --config FILE
                Accept pushes into local folders until SIGTERM or SIGINT (an orderly stop, exit 0; a second
                signal exits at once with 1). SIGHUP is ignored: ferry daemon --config FILE reloads.
                With --identity, TLS 1.3 only, and a folder accepts the senders it --allows (and, with
                --token-file, those proving the token); without, plaintext with the token (trusted LANs only).

                  --listen HOST:PORT      address to listen on, e.g. 0.0.0.0:7878
                  --identity DIR          this host's identity (ferry keygen DIR makes one; ferry id DIR
                                          prints the ID senders pin)
                  --folder NAME=DIR       a folder senders may push into (repeatable)
                  --allow NAME=ID         the sender ID may push into folder NAME (repeatable; with
                                          --identity, a folder with no --allow accepts nobody by ID)
                  --token-file FILE       shared token file (at least 16 bytes; required without --identity)
                  --durability fsync|none fsync files before confirming them (default %s)
                  --max-connections N     concurrent connections (default %d)
                  --config FILE           take all of the above from the 'receive' section of a YAML config
                  --log-format text|json  log lines on stderr as text (default) or one JSON object per line
                                          (with --config: instead of its log-format)
                  --control-socket PATH   answer ferry status --socket PATH there (owner-only; none by default)
                """.formatted(ReceiveConfig.DEFAULT_DURABILITY, ReceiveConfig.DEFAULT_MAX_CONNECTIONS);
    }

    @Override
    public Set<String> options() {
        return Set.of("--config", "--listen", "--identity", "--folder", "--allow", "--token-file", "--durability",
                "--max-connections", "--log-format", "--control-socket");
    }

    @Override
    public int run(Args args) throws IOException, InterruptedException {
        args.expectPositionals(name());
        config = args.value("--config") == null ? null : Path.of(args.value("--config"));
        listen = args.value("--listen");
        folders = args.values("--folder");
        allow = args.values("--allow");
        identity = args.value("--identity") == null ? null : Path.of(args.value("--identity")).toAbsolutePath();
        tokenFile = args.value("--token-file") == null ? null : Path.of(args.value("--token-file"));
        durability = args.value("--durability");
        maxConnections = args.value("--max-connections") == null ? null : parseCount(args.value("--max-connections"));
        logFormat = args.value("--log-format") == null ? null : parseLogFormat(args.value("--log-format"));
        ReceiveConfig rc = config != null ? fromFile() : fromFlags();
        if (logFormat != null) {
            FerryLogConfigurator.use(logFormat);
        }
        ReceiverSettings settings = settings(rc);
        if (rc.identity().isEmpty()) {
            Plaintext.warn("to/from the receiver on " + rc.listen());
        }
        Signals signals = Signals.install(shutdownTimeout);
        Receiver receiver = Receiver.start(settings);
        ControlServer control;
        try {
            control = args.value("--control-socket") == null ? null
                    : ControlServer.start(Path.of(args.value("--control-socket")), statusOf(receiver));
        } catch (IOException | RuntimeException e) {
            receiver.close(shutdownTimeout); // all or nothing
            throw e;
        }
        return signals.serve(new Signals.Service() {
            @Override
            public void reload() {
                log.warn("SIGHUP ignored: ferry receive does not reload; run ferry daemon --config FILE for a service"
                        + " that does");
            }

            @Override
            public void close() {
                if (control != null) {
                    control.close();
                }
                receiver.close(shutdownTimeout);
            }

            @Override
            public Duration shutdownTimeout() {
                return shutdownTimeout;
            }
        }, () -> System.err.println("ferry: receiving on " + receiver.address() + " into " + rc.folders()));
    }

    /** A daemon's status with no sync pairs: what {@code ferry status} shows of a lone receiver. */
    private static Supplier<DaemonStatus> statusOf(Receiver receiver) {
        Instant started = Instant.now();
        return () -> new DaemonStatus(Version.number(), ProcessHandle.current().pid(), started, Instant.now(), List.of(),
                receiver.status(), new LatencyRecorder().snapshot());
    }

    private static int parseCount(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException("--max-connections '" + s + "' is not a number");
        }
    }

    private static LogFormat parseLogFormat(String s) {
        try {
            return LogFormat.parse(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--log-format: " + e.getMessage());
        }
    }

    private ReceiveConfig fromFile() {
        if (listen != null || !folders.isEmpty() || tokenFile != null || identity != null || !allow.isEmpty()) {
            throw new UsageException("give either --config or --listen/--folder/--identity/--allow/--token-file, not"
                    + " both");
        }
        try {
            FerryConfig fc = ConfigLoader.load(config);
            shutdownTimeout = fc.shutdownTimeout();
            if (logFormat == null) {
                FerryLogConfigurator.use(fc.logFormat());
            }
            return fc.receive().orElseThrow(() -> new UsageException(config + " has no 'receive' section"));
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private ReceiveConfig fromFlags() {
        if (listen == null || folders.isEmpty() || (tokenFile == null && identity == null)) {
            throw new UsageException("receive needs --listen HOST:PORT, --folder NAME=DIR and --identity DIR or"
                    + " --token-file FILE (or --config FILE)");
        }
        if (identity == null && !allow.isEmpty()) {
            throw new UsageException("--allow names sender IDs, which only a receiver with --identity DIR can check");
        }
        Map<String, Path> map = new LinkedHashMap<>();
        for (String f : folders) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1) {
                throw new UsageException("--folder '" + f + "' must look like NAME=DIR");
            }
            map.put(f.substring(0, eq), Path.of(f.substring(eq + 1)).toAbsolutePath());
        }
        Map<String, List<PeerId>> allowed = new LinkedHashMap<>();
        for (String a : allow) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) {
                throw new UsageException("--allow '" + a + "' must look like NAME=ID");
            }
            String name = a.substring(0, eq);
            if (!map.containsKey(name)) {
                throw new UsageException("--allow " + a + ": no --folder " + name + "=DIR");
            }
            PeerId id;
            try {
                id = PeerId.parse(a.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allow " + name + "=...: " + e.getMessage());
            }
            List<PeerId> ids = allowed.computeIfAbsent(name, n -> new ArrayList<>());
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        try {
            ReceiveConfig d = new ReceiveConfig(HostPort.parse(listen),
                    tokenFile == null ? null : tokenFile.toAbsolutePath(), map,
                    maxConnections == null ? ReceiveConfig.DEFAULT_MAX_CONNECTIONS : maxConnections,
                    ReceiveConfig.DEFAULT_READ_TIMEOUT,
                    durability == null ? ReceiveConfig.DEFAULT_DURABILITY : Durability.parse(durability),
                    ReceiveConfig.DEFAULT_MAX_FILE_SIZE, ReceiveConfig.DEFAULT_TRASH, ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE,
                    Optional.ofNullable(identity), allowed, Map.of());
            return d;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static ReceiverSettings settings(ReceiveConfig rc) {
        return settings(rc, rc.tokenFile() == null ? null : TokenOption.load(rc.tokenFile()));
    }

    /**
     * The one place a {@link ReceiveConfig} becomes {@link ReceiverSettings}: every configurable value comes from it;
     * the identity and the folders' own token files are read here.
     */
    static ReceiverSettings settings(ReceiveConfig rc, Token token) {
        InetSocketAddress listen = new InetSocketAddress(rc.listen().host(), rc.listen().port());
        boolean fsync = rc.durability() == Durability.FSYNC;
        Map<String, FolderAccess> access = new LinkedHashMap<>(); // (a folder's own token counts in plaintext too)
        for (String name : rc.folders().keySet()) {
            Path own = rc.folderTokens().get(name);
            access.put(name, new FolderAccess(Set.copyOf(rc.allow().getOrDefault(name, List.of())),
                    own == null ? Optional.empty() : Optional.of(TokenOption.load(own))));
        }
        if (rc.identity().isEmpty()) {
            return ReceiverSettings.of(listen, token, rc.folders(), rc.maxConnections(), rc.readTimeout(), fsync,
                    rc.maxFileSize(), rc.trash(), rc.partialMaxAge()).withAccess(access);
        }
        return ReceiverSettings.of(listen, token, rc.folders(), rc.maxConnections(), rc.readTimeout(), fsync,
                rc.maxFileSize(), rc.trash(), rc.partialMaxAge(), IdentityOption.load(rc.identity().get()), access);
    }
}
