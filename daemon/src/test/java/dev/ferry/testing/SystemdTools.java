package dev.ferry.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * systemd's command-line tools the service tests run for real ({@code systemd-analyze}, {@code systemd-notify}).
 * They come with Debian's {@code systemd} package, which {@code .ci/run} installs when they are missing; a test that
 * needs one fails with that advice rather than passing without it.
 */
public final class SystemdTools {
    private SystemdTools() {
    }

    /** {@code /usr/bin/NAME} (or {@code /bin/NAME}), or an AssertionError saying how to get it. */
    public static Path require(String name) {
        for (String dir : new String[] {"/usr/bin", "/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError(name + " is not installed (not in /usr/bin or /bin): install Debian's systemd"
                + " package (apt-get install -y systemd; .ci/run does this when it is missing)");
    }
}
