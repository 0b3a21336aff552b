package dev.ferry.config;

import java.nio.file.FileSystem;
import java.nio.file.Path;

/**
 * What the loader takes from the process environment, injected so tests do not depend on the machine.
 *
 * @param stateDirectory {@code $STATE_DIRECTORY}, "" when unset: the folder systemd made for the unit's
 *                       {@code StateDirectory=} (a colon-separated list when the unit names several; the first is
 *                       ferry's; a relative value is ignored)
 * @param xdgStateHome   {@code $XDG_STATE_HOME}, "" when unset (a relative value is ignored, as the XDG spec says)
 * @param home           the user's home directory, for the default state dir and for {@code ~/} in paths
 */
record Environment(String stateDirectory, String xdgStateHome, String home) {

    static Environment system() {
        return new Environment(getenv("STATE_DIRECTORY"), getenv("XDG_STATE_HOME"), System.getProperty("user.home"));
    }

    /**
     * {@code $STATE_DIRECTORY} itself (under systemd: {@code /var/lib/ferry}, already ferry's own), else
     * {@code $XDG_STATE_HOME/ferry}, else {@code ~/.local/state/ferry}.
     */
    Path defaultStateDir(FileSystem fs) {
        String first = stateDirectory.split(":", -1)[0];
        Path systemd = first.isEmpty() ? null : fs.getPath(first);
        if (systemd != null && systemd.isAbsolute()) {
            return systemd.normalize();
        }
        Path xdg = xdgStateHome.isEmpty() ? null : fs.getPath(xdgStateHome);
        if (xdg != null && xdg.isAbsolute()) {
            return xdg.resolve("ferry").normalize();
        }
        return fs.getPath(home, ".local", "state", "ferry").normalize();
    }

    private static String getenv(String name) {
        String value = System.getenv(name);
        return value == null ? "" : value;
    }
}
