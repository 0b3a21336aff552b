package dev.ferry.cli;

import dev.ferry.config.ConfigException;
import dev.ferry.config.ConfigLoader;
import dev.ferry.status.ControlClient;
import dev.ferry.status.StatusJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code ferry status [--json] [--config FILE | --socket PATH]}: asks a running daemon over its control socket. */
final class StatusCommand implements Verb {
    /** The whole exchange with the daemon. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "show what a running daemon is doing (from its local control socket)";
    }

    @Override
    public String usage() {
        return """
                Usage: ferry status [--json] [--config FILE | --socket PATH]
                Ask a running ferry daemon what it is doing, over its control socket (a Unix domain socket
                that only its owner may use; never a network port): per sync pair and target the state
                (scanning, in sync, syncing, retrying, auth-failed, parked, source-guarded), files and bytes
                pending, the file in flight, the rate, the last sync, the last error and the parked files;
                for the receiver its folders, peers, transfers and partial files kept.

                  --json          the snapshot as JSON (indented; the same keys every time), for scripts
                  --config FILE   the daemon's config: look where that daemon puts its socket
                  --socket PATH   the control socket itself

                Where it looks without --socket, taking the first socket that exists:
                  1. $RUNTIME_DIRECTORY/control.sock, when set (a daemon under systemd binds there)
                  2. with --config FILE: its state-dir's control.sock, then /run/ferry-NAME/control.sock
                     for FILE NAME.yaml (the ferry@NAME unit), then /run/ferry/control.sock
                  3. without: /run/ferry/control.sock (the ferry unit), then control.sock in the default
                     state-dir ($STATE_DIRECTORY, else $XDG_STATE_HOME/ferry, else ~/.local/state/ferry)
                Exit 1 when no daemon answers.
                """;
    }

    @Override
    public Set<String> options() {
        return Set.of("--config", "--socket");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--json");
    }

    @Override
    public int run(Args args) throws IOException {
        args.expectPositionals(name());
        if (args.value("--config") != null && args.value("--socket") != null) {
            throw new UsageException("status takes --config FILE or --socket PATH, not both");
        }
        Path socket = socket(args);
        String json = ControlClient.fetchJson(socket, TIMEOUT);
        PrintStream out = System.out;
        if (args.flag("--json")) {
            out.println(StatusJson.pretty(json));
        } else {
            StatusTable.render(StatusJson.read(json)).forEach(out::println);
        }
        return ExitCode.OK;
    }

    /** In a folder this user may not look into (/run/ferry is the ferry user's, 0700): perhaps there, so tried. */
    private static boolean hidden(Path socket) {
        Path dir = socket.getParent();
        return Files.isDirectory(dir) && !Files.isExecutable(dir);
    }

    private static Path socket(Args args) throws IOException {
        if (args.value("--socket") != null) {
            return Path.of(args.value("--socket"));
        }
        Path config = args.value("--config") == null ? null : Path.of(args.value("--config"));
        Path stateDir = null;
        if (config != null) {
            try {
                stateDir = ConfigLoader.stateDirOf(config); // only that: a daemon may run an older, valid config
            } catch (ConfigException e) {
                throw new UsageException(e.getMessage());
            }
        }
        List<Path> candidates = ControlSocketPaths.candidates(System.getenv("RUNTIME_DIRECTORY"), config, stateDir,
                ConfigLoader.defaultStateDir());
        for (Path p : candidates) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || hidden(p)) {
                return p;
            }
        }
        throw new IOException("no ferry daemon answers at " + candidates.getFirst() + " (is it running? no socket there"
                + (candidates.size() > 1 ? "; nor at " + String.join(", ", candidates.subList(1, candidates.size())
                .stream().map(Path::toString).toList()) : "") + "; give --socket PATH or --config FILE)");
    }
}
