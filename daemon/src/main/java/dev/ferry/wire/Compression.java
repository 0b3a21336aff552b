package dev.ferry.wire;

import java.util.Locale;
import java.util.Objects;

/**
 * How a sender compresses its CHUNKs, when the receiver agreed at the handshake: not at all ({@link #OFF}, the
 * default), or zstd at a {@code level}. Each chunk still goes raw when compressing it does not make it smaller.
 * Immutable; any thread.
 *
 * @param algorithm {@link Algorithm#NONE} or {@link Algorithm#ZSTD}
 * @param level     the zstd level, {@value #MIN_ZSTD_LEVEL}..{@value #MAX_ZSTD_LEVEL}; 0 with NONE
 */
public record Compression(Algorithm algorithm, int level) {
    /** Lowest level: fastest. */
    public static final int MIN_ZSTD_LEVEL = 1;
    /** Highest level this code allows (zstd's 20-22 need far more memory on both ends). */
    public static final int MAX_ZSTD_LEVEL = 19;
    /**
     * The fastest: on a text-heavy tree (270 MiB of /usr/share/doc) level 1 sent 72.0 MiB, level 3 66.8 MiB for
     * 0.3 s more push CPU (2.04 against 2.36 s, 1.37 s without compression), and on a loaded 2-core machine level
     * 3's push took 1.40x the time of an uncompressed one, level 1's 1.23x (bench/results-compress.txt); on a
     * quieter machine level 1 took 1.19x (bench/results-compress-default.txt).
     */
    public static final int DEFAULT_ZSTD_LEVEL = 1;
    public static final Compression OFF = new Compression(Algorithm.NONE, 0);

    /** The algorithms this code knows, by the name the config and the command line use. */
    public enum Algorithm {
        NONE, ZSTD;

        public String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Compression {
        Objects.requireNonNull(algorithm, "algorithm");
        if (algorithm == Algorithm.NONE && level != 0) {
            throw new IllegalArgumentException("level=" + level + " without an algorithm");
        }
        if (algorithm == Algorithm.ZSTD && !levelInRange(level)) {
            throw new IllegalArgumentException("zstd level=" + level + " is outside " + MIN_ZSTD_LEVEL + ".." + MAX_ZSTD_LEVEL);
        }
    }

    public static Compression zstd(int level) {
        return new Compression(Algorithm.ZSTD, level);
    }

    public static boolean levelInRange(int level) {
        return level >= MIN_ZSTD_LEVEL && level <= MAX_ZSTD_LEVEL;
    }

    /**
     * Parses {@code none}, {@code zstd} or {@code zstd:LEVEL} (the command line's form).
     *
     * @throws IllegalArgumentException quoting the input and the accepted forms
     */
    public static Compression parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.equals("none") || v.equals("off")) {
            return OFF;
        }
        if (v.equals("zstd")) {
            return zstd(DEFAULT_ZSTD_LEVEL);
        }
        if (v.startsWith("zstd:")) {
            String level = v.substring("zstd:".length());
            try {
                int n = Integer.parseInt(level);
                if (levelInRange(n)) {
                    return zstd(n);
                }
            } catch (NumberFormatException e) {
                // the message below says what is accepted
            }
            throw new IllegalArgumentException("bad zstd level \"" + level + "\" in \"" + s + "\": use a whole number from "
                    + MIN_ZSTD_LEVEL + " to " + MAX_ZSTD_LEVEL + " (default " + DEFAULT_ZSTD_LEVEL + ")");
        }
        throw new IllegalArgumentException("unknown compression \"" + s + "\": use zstd, zstd:LEVEL (" + MIN_ZSTD_LEVEL + ".."
                + MAX_ZSTD_LEVEL + ") or none");
    }

    public boolean on() {
        return algorithm != Algorithm.NONE;
    }

    /** As {@link #parse} reads it: {@code none}, {@code zstd:3}. */
    @Override
    public String toString() {
        return on() ? algorithm.displayName() + ":" + level : "none";
    }
}
