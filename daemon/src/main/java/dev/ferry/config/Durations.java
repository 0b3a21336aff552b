package dev.ferry.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: a whole number and one unit, {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 7d}. A unit is required, so that {@code 60} is not silently read as seconds or millis.
 */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("\\s*([0-9]+)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS);
    private static final String EXAMPLES = "e.g. 500ms, 30s, 5m, 2h, 7d";

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException quoting the input and saying what a valid duration looks like
     */
    public static Duration parse(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration \"" + s
                    + "\": expected a whole number and a unit (ms, s, m, h or d), " + EXAMPLES);
        }
        String unit = m.group(2);
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("bad duration \"" + s + "\": missing unit; write e.g. " + m.group(1)
                    + "s (units: ms, s, m, h, d)");
        }
        ChronoUnit chrono = UNITS.get(unit);
        if (chrono == null) {
            throw new IllegalArgumentException("bad duration \"" + s + "\": unknown unit \"" + unit
                    + "\"; use ms, s, m, h or d, " + EXAMPLES);
        }
        try {
            return Duration.of(Long.parseLong(m.group(1)), chrono);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("bad duration \"" + s + "\": too large", e);
        }
    }

    /** Formats a duration with the largest unit that divides it exactly: {@code 60s} becomes {@code 1m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        long[] factors = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < factors.length; i++) {
            if (ms != 0 && ms % factors[i] == 0) {
                return ms / factors[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
