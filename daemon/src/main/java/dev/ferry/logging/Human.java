package dev.ferry.logging;

import java.time.Duration;
import java.util.Locale;

/**
 * Sizes and durations as an operator reads them in a log line or an error message: {@code 48.2 MiB}, {@code 2.4s},
 * {@code 30s}, {@code 2m}, {@code 1h5m} (never {@code PT2M}). Measured values are rounded (one decimal below
 * 10 s, whole seconds above); a configured value like {@code 10m} or {@code 7d} comes out as it was written.
 * Thread-safe, no state.
 */
public final class Human {
    private static final String[] BYTE_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Human() {
    }

    /** {@code 512 B}, {@code 1.0 KiB}, {@code 48.2 MiB}: powers of 1024, one decimal. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (value >= 1023.95 && unit < BYTE_UNITS.length - 1) { // (would print as 1024.0)
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /**
     * {@code 340ms}, {@code 2.4s}, {@code 30s}, {@code 2m}, {@code 2m30s}, {@code 1h5m}, {@code 7d}, {@code 2d3h}:
     * at most two units, the smaller one left out when it is zero.
     */
    public static String duration(Duration d) {
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 9_950) { // (from there it would round to 10.0s)
            return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = (ms + 500) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return two(s / 60, "m", s % 60, "s");
        }
        long m = (s + 30) / 60;
        if (m < 24 * 60) {
            return two(m / 60, "h", m % 60, "m");
        }
        long h = (m + 30) / 60;
        return two(h / 24, "d", h % 24, "h");
    }

    private static String two(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + bigUnit : big + bigUnit + small + smallUnit;
    }
}
