package dev.ferry.service;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where {@code $NOTIFY_SOCKET} points, as the bytes of a {@code sockaddr_un}'s {@code sun_path}: a file-system
 * socket ({@code /run/systemd/notify}) with its terminating NUL, or an abstract one ({@code @name}, which the kernel
 * tells apart by a leading NUL instead of the '@', and which has no terminating NUL). The name is taken as UTF-8:
 * the units run ferry under {@code LC_ALL=C.UTF-8}, and systemd's own socket names are ASCII. Immutable.
 *
 * @param text    the variable's value, for messages
 * @param sunPath exactly the bytes that go into {@code sun_path}; the address length is 2 (the family) plus these
 */
record NotifyAddress(String text, byte[] sunPath) {
    /** {@code sizeof(sun_path)} on Linux. */
    static final int SUN_PATH_SIZE = 108;

    /**
     * Reads {@code $NOTIFY_SOCKET}'s value.
     *
     * @throws IllegalArgumentException quoting the value when it is neither an absolute path nor {@code @name} (for
     *                                  example systemd 254's {@code vsock:} addresses, which ferry does not speak),
     *                                  or too long for a {@code sockaddr_un}
     */
    static NotifyAddress parse(String value) {
        byte[] name = value.getBytes(StandardCharsets.UTF_8);
        byte[] path;
        if (value.startsWith("/")) {
            path = Arrays.copyOf(name, name.length + 1);
        } else if (value.startsWith("@") && value.length() > 1) {
            path = name.clone();
            path[0] = 0;
        } else {
            throw new IllegalArgumentException("NOTIFY_SOCKET='" + value + "' is neither an absolute path nor an"
                    + " abstract socket name (@name)");
        }
        if (path.length > SUN_PATH_SIZE) {
            throw new IllegalArgumentException("NOTIFY_SOCKET='" + value + "' is " + name.length + " bytes, longer than"
                    + " a Unix socket address holds (" + (SUN_PATH_SIZE - 1) + ")");
        }
        return new NotifyAddress(value, path);
    }

    @Override
    public byte[] sunPath() {
        return sunPath.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotifyAddress a && text.equals(a.text) && Arrays.equals(sunPath, a.sunPath);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
