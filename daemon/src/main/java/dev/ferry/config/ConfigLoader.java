package dev.ferry.config;

import dev.ferry.logging.LogFormat;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Loads a config file: reads the YAML ({@link YamlTree}), checks every key and value, and returns an immutable
 * {@link FerryConfig}. The first problem found ends the load with one {@link ConfigException}; nothing is
 * created or changed on disk. Paths are looked up in the file system of {@code file}.
 */
public final class ConfigLoader {
    static final List<String> KEYS = List.of("identity", "transport", "state-dir", "shutdown-timeout", "log-format",
            "metrics", "receive", "sync");
    private static final String METRICS_FORM = "expected HOST:PORT, e.g. 127.0.0.1:9478 (this host only)";
    /** A ferry config is a few KiB; a bigger file is almost surely the wrong file. */
    static final long MAX_FILE_SIZE = 1 << 20;

    private ConfigLoader() {
    }

    /**
     * Loads and checks {@code file}.
     *
     * @throws ConfigException naming the file, line and key of the first problem, and how to fix it
     */
    public static FerryConfig load(Path file) throws ConfigException {
        return load(file, Environment.system());
    }

    /**
     * The state dir used when the config names none: {@code $STATE_DIRECTORY} (set by systemd), else
     * {@code $XDG_STATE_HOME/ferry}, else {@code ~/.local/state/ferry}.
     */
    public static Path defaultStateDir() {
        return Environment.system().defaultStateDir(Path.of("").getFileSystem());
    }

    /**
     * Only the state dir {@code file} gives (its {@code state-dir}, else the default), read even when the rest of the
     * file does not load: what {@code ferry status --config} needs to find a daemon's control socket while the daemon
     * runs the previous config after a refused reload.
     *
     * @throws ConfigException if the file cannot be read as YAML or its {@code state-dir} is bad
     */
    public static Path stateDirOf(Path file) throws ConfigException {
        Environment env = Environment.system();
        Section top = topLevel(file, YamlTree.parse(file, read(file)));
        Field stateDir = top.get("state-dir");
        if (stateDir == null) {
            return env.defaultStateDir(file.getFileSystem());
        }
        Path absolute = file.toAbsolutePath().normalize();
        return new PathResolver(absolute.getParent(), file.getFileSystem().getPath(env.home())).path(stateDir);
    }

    static FerryConfig load(Path file, Environment env) throws ConfigException {
        Section top = topLevel(file, YamlTree.parse(file, read(file)));
        top.allowOnly(KEYS);
        Path absolute = file.toAbsolutePath().normalize();
        PathResolver paths = new PathResolver(absolute.getParent(), file.getFileSystem().getPath(env.home()));

        Field stateDir = top.get("state-dir");
        Field receive = top.get("receive");
        Field sync = top.get("sync");
        Duration shutdownTimeout = top.optional("shutdown-timeout", FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT,
                Durations::parse, FerryConfig::shutdownTimeoutInRange, "is out of range; use "
                        + Durations.format(FerryConfig.MIN_SHUTDOWN_TIMEOUT) + " to "
                        + Durations.format(FerryConfig.MAX_SHUTDOWN_TIMEOUT) + " (default "
                        + Durations.format(FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT)
                        + ": how long a stop may take before ferry exits anyway)");
        Field logFormat = top.get("log-format");
        Field metrics = top.get("metrics");
        if (receive == null && sync == null) {
            throw new ConfigException(file, 1, "", "nothing to do: add a receive section, a sync list or both"
                    + " (see the examples in config/)");
        }
        Optional<Path> identity = TransportReader.identity(top, paths);
        return new FerryConfig(absolute,
                stateDir == null ? env.defaultStateDir(file.getFileSystem()) : paths.path(stateDir),
                receive == null ? Optional.empty() : Optional.of(ReceiveReader.read(receive, paths, identity)),
                sync == null ? List.of() : SyncReader.read(sync, paths, identity), shutdownTimeout,
                logFormat == null ? LogFormat.DEFAULT : logFormat.parsed(LogFormat::parse),
                metrics == null ? Optional.empty() : Optional.of(metrics.parsed(
                        text -> HostPort.parse(text, -1, "metrics address", METRICS_FORM))));
    }

    private static String read(Path file) throws ConfigException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new ConfigException(file, 0, "", "the file is " + size + " bytes, more than " + MAX_FILE_SIZE
                        + "; is this the right file?");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "the config file does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw new ConfigException(file, 0, "", "the config file is not readable; check its permissions");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "", "the config file is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read the config file: "
                    + (Files.isDirectory(file) ? "it is a directory" : e.toString()));
        }
    }

    private static Section topLevel(Path file, YamlNode root) throws ConfigException {
        if (root instanceof YamlNode.Mapping mapping) {
            return new Section(file, "", root.line(), mapping);
        }
        throw new ConfigException(file, root.line(), "", "expected a mapping of keys (" + String.join(", ", KEYS)
                + ") at the top level, got " + YamlNode.describe(root));
    }
}
