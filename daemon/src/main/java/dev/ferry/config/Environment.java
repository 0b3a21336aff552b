package dev.ferry.config;

import java.nio.file.FileSystem;
import java.nio.file.Path;

/**
 * What the loader takes from the process environment, injected so tests do not depend on the machine.
 *
 * @param xdgStateHome {@code $XDG_STATE_HOME}, "" when unset (a relative value is ignored, as the XDG spec says)
 * @param home         the user's home directory, for the default state dir and for {@code ~/} in paths
 */
record Environment(String xdgStateHome, String home) {

    static Environment system() {
        String xdg = System.getenv("XDG_STATE_HOME");
        return new Environment(xdg == null ? "" : xdg, System.getProperty("user.home"));
    }

    /** {@code $XDG_STATE_HOME/ferry}, else {@code ~/.local/state/ferry}. */
    Path defaultStateDir(FileSystem fs) {
        Path xdg = xdgStateHome.isEmpty() ? null : fs.getPath(xdgStateHome);
        if (xdg != null && xdg.isAbsolute()) {
            return xdg.resolve("ferry").normalize();
        }
        return fs.getPath(home, ".local", "state", "ferry").normalize();
    }
}
