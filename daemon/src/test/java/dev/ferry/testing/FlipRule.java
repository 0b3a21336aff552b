package dev.ferry.testing;

import java.util.Random;

/**
 * Which bytes of a stream a {@link Faults} inverts (every bit of the byte, {@code b = ~b}). Offsets count from the
 * first byte of one direction of one connection. A rule is immutable; a {@link Cursor} walks it along one stream.
 */
public sealed interface FlipRule {
    /** Inverts the byte at {@code offset}. */
    record At(long offset) implements FlipRule {
        public At {
            if (offset < 0) {
                throw new IllegalArgumentException("flip offset=" + offset + " must be >= 0");
            }
        }
    }

    /** Inverts the bytes at every positive multiple of {@code interval}: interval, 2*interval, ... */
    record Every(long interval) implements FlipRule {
        public Every {
            if (interval <= 0) {
                throw new IllegalArgumentException("flip interval=" + interval + " must be > 0");
            }
        }
    }

    /**
     * Inverts each byte with probability {@code rate}, drawn from a generator seeded with {@code seed}, the connection
     * number and the direction: the same seed damages the same offsets of the same connection, however the stream
     * happens to be split into reads.
     */
    record Randomly(double rate, long seed) implements FlipRule {
        public Randomly {
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("flip rate=" + rate + " must be in (0, 1]");
            }
        }
    }

    /**
     * The next offsets {@code rule} flips, from a given start. Owned by the one writer thread of a {@link Pump}.
     */
    final class Cursor {
        private final FlipRule rule;
        private final Random random;
        private long next;

        Cursor(FlipRule rule, long start, long streamSeed) {
            this.rule = rule;
            this.random = rule instanceof Randomly r ? new Random(r.seed() ^ streamSeed) : null;
            this.next = switch (rule) {
                case At a -> a.offset() >= start ? a.offset() : Long.MAX_VALUE;
                case Every e -> Math.max(e.interval(), ceilMultiple(start, e.interval()));
                case Randomly r -> start + skip(r.rate());
            };
        }

        FlipRule rule() {
            return rule;
        }

        /** Inverts the bytes this rule picks in {@code b[off, off + n)}, which hold stream offsets from {@code pos}. */
        int apply(byte[] b, int off, int n, long pos) {
            int flipped = 0;
            while (next < pos + n) {
                int i = off + (int) (next - pos);
                b[i] = (byte) ~b[i];
                flipped++;
                next = switch (rule) {
                    case At a -> Long.MAX_VALUE;
                    case Every e -> next + e.interval();
                    case Randomly r -> next + 1 + skip(r.rate());
                };
            }
            return flipped;
        }

        /** Geometric gap: how many bytes pass unharmed before the next flip. */
        private long skip(double rate) {
            if (rate >= 1) {
                return 0;
            }
            double u = 1 - random.nextDouble(); // (0, 1]
            double gap = Math.floor(Math.log(u) / Math.log1p(-rate));
            return gap >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) gap;
        }

        private static long ceilMultiple(long x, long k) {
            long q = x / k;
            return (x % k == 0 ? q : q + 1) * k;
        }
    }
}
