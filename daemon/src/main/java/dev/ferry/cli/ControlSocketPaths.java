package dev.ferry.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Where the control socket is: the one path a daemon binds, and the places {@code ferry status} looks for it, in
 * order. The environment comes in as values so that tests do not depend on the machine's.
 */
final class ControlSocketPaths {
    static final String NAME = "control.sock";
    /** The {@code ferry} unit's {@code RuntimeDirectory=ferry}; {@code ferry@NAME} has {@code /run/ferry-NAME}. */
    static final Path SYSTEM_RUNTIME = Path.of("/run/ferry");

    private ControlSocketPaths() {
    }

    /**
     * The daemon's socket: {@code $RUNTIME_DIRECTORY/control.sock} when systemd sets it (the first entry of a
     * colon-separated list), else {@code <state-dir>/control.sock}.
     *
     * @param runtimeDirectory {@code $RUNTIME_DIRECTORY}, null or "" when unset
     */
    static Path forDaemon(String runtimeDirectory, Path stateDir) {
        Path runtime = runtime(runtimeDirectory);
        return (runtime != null ? runtime : stateDir).resolve(NAME);
    }

    /**
     * Where {@code ferry status} looks without {@code --socket}, in order: {@code $RUNTIME_DIRECTORY} when set; with
     * a config, its state-dir, then {@code /run/ferry-NAME} for a config {@code NAME.yaml} other than {@code
     * ferry.yaml} (the {@code ferry@NAME} unit), then {@code /run/ferry}; without one, {@code /run/ferry} (the
     * {@code ferry} unit) and then the default state-dir.
     *
     * @param config         the {@code --config} file, or null
     * @param configStateDir that config's state-dir (null without a config)
     */
    static List<Path> candidates(String runtimeDirectory, Path config, Path configStateDir, Path defaultStateDir) {
        LinkedHashSet<Path> all = new LinkedHashSet<>();
        Path runtime = runtime(runtimeDirectory);
        if (runtime != null) {
            all.add(runtime.resolve(NAME));
        }
        if (config != null) {
            all.add(configStateDir.resolve(NAME));
            String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            if (!name.equals("ferry") && !name.isEmpty()) {
                all.add(SYSTEM_RUNTIME.resolveSibling("ferry-" + name).resolve(NAME));
            }
            all.add(SYSTEM_RUNTIME.resolve(NAME));
        } else {
            all.add(SYSTEM_RUNTIME.resolve(NAME));
            all.add(defaultStateDir.resolve(NAME));
        }
        return new ArrayList<>(all);
    }

    private static Path runtime(String runtimeDirectory) {
        if (runtimeDirectory == null || runtimeDirectory.isEmpty()) {
            return null;
        }
        Path first = Path.of(runtimeDirectory.split(":", -1)[0]);
        return first.isAbsolute() ? first : null;
    }
}
