package dev.ferry.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people write them: {@code 1048576}, {@code 64KiB}, {@code 4 MiB}, {@code 1GiB}, {@code 1TiB}
 * (powers of 1024) or {@code 500KB}, {@code 10MB}, {@code 1GB}, {@code 1TB} (powers of 1000). Units are
 * case-insensitive; the number is a whole number; single letters ({@code 4M}) are refused as ambiguous.
 */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+)\\s*([A-Za-z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.of(
            "", 1L, "b", 1L,
            "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30, "tib", 1L << 40,
            "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L, "tb", 1_000_000_000_000L);
    private static final String UNIT_LIST = "B, KiB, MiB, GiB, TiB (powers of 1024) or KB, MB, GB, TB (powers of 1000)";

    private ByteSizes() {
    }

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException quoting the input and saying what a valid size looks like
     */
    public static long parse(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size \"" + s
                    + "\": expected a whole number of bytes with an optional unit, e.g. 1048576, 64KiB, 4 MiB, 1GiB");
        }
        String unit = m.group(2);
        Long factor = UNITS.get(unit.toLowerCase(Locale.ROOT));
        if (factor == null) {
            String lower = unit.toLowerCase(Locale.ROOT);
            if (lower.length() == 1 && "kmgt".contains(lower)) {
                String u = unit.toUpperCase(Locale.ROOT);
                throw new IllegalArgumentException("bad size \"" + s + "\": unit \"" + unit + "\" is ambiguous; write "
                        + (u.equals("K") ? "Ki" : u + "i") + "B (powers of 1024) or " + u + "B (powers of 1000)");
            }
            throw new IllegalArgumentException(
                    "bad size \"" + s + "\": unknown unit \"" + unit + "\"; use " + UNIT_LIST);
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("bad size \"" + s + "\": too large (the limit is 8 EiB)", e);
        }
    }

    /** Formats a size with the largest binary unit that divides it exactly: {@code 1MiB}, {@code 1536KiB}. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long factor = 1L << (10 * (4 - i));
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
