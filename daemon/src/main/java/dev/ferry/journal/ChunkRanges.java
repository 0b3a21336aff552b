package dev.ferry.journal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * An immutable set of chunk indexes kept as sorted, disjoint, non-touching ranges {@code [from, to)}: the chunks of
 * a file the receiver acknowledged, or (its {@link #complement}) those still missing. Acks mostly arrive in order,
 * so a file being sent is one range however many chunks it has. The ranges map directly onto a NEED frame's
 * {@code (start, count)} pairs.
 */
public final class ChunkRanges {
    private static final ChunkRanges EMPTY = new ChunkRanges(new int[0]);

    /** One range of chunk indexes, {@code from} included, {@code toExclusive} not. */
    public record Range(int from, int toExclusive) {
        public Range {
            checkRange(from, toExclusive);
        }

        public int count() {
            return toExclusive - from;
        }
    }

    /**
     * from0, to0, from1, to1, ...: sorted, {@code from < to}, and {@code to_i < from_(i+1)} (touching ranges are
     * merged).
     */
    private final int[] bounds;

    private ChunkRanges(int[] bounds) {
        this.bounds = bounds;
    }

    public static ChunkRanges empty() {
        return EMPTY;
    }

    public static ChunkRanges of(int from, int toExclusive) {
        checkRange(from, toExclusive);
        return new ChunkRanges(new int[] {from, toExclusive});
    }

    /** This set plus {@code [from, toExclusive)}; this set itself if it already holds all of them. */
    public ChunkRanges with(int from, int toExclusive) {
        checkRange(from, toExclusive);
        int n = rangeCount();
        int first = firstEndingAtOrAfter(from);     // ranges before it end before 'from' and do not touch it
        int last = first;                           // ranges [first, last) overlap or touch the new one
        while (last < n && bounds[2 * last] <= toExclusive) {
            last++;
        }
        if (last == first + 1 && bounds[2 * first] <= from && bounds[2 * first + 1] >= toExclusive) {
            return this;
        }
        int newFrom = last > first ? Math.min(from, bounds[2 * first]) : from;
        int newTo = last > first ? Math.max(toExclusive, bounds[2 * last - 1]) : toExclusive;
        int[] out = new int[bounds.length - 2 * (last - first) + 2];
        System.arraycopy(bounds, 0, out, 0, 2 * first);
        out[2 * first] = newFrom;
        out[2 * first + 1] = newTo;
        System.arraycopy(bounds, 2 * last, out, 2 * first + 2, bounds.length - 2 * last);
        return new ChunkRanges(out);
    }

    /** Index of the first range whose end is >= {@code chunk} (so it overlaps or touches chunk); n if none. */
    private int firstEndingAtOrAfter(int chunk) {
        int lo = 0;
        int hi = rangeCount();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bounds[2 * mid + 1] < chunk) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public boolean contains(int chunk) {
        if (chunk < 0 || chunk == Integer.MAX_VALUE) {
            return false; // no range can hold it (ends are ints, exclusive)
        }
        int i = firstEndingAtOrAfter(chunk + 1); // the first range with to > chunk
        return i < rangeCount() && bounds[2 * i] <= chunk && chunk < bounds[2 * i + 1];
    }

    /** How many chunks the set holds. */
    public int count() {
        int c = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            c += bounds[i + 1] - bounds[i];
        }
        return c;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** How many ranges the set is made of. */
    public int rangeCount() {
        return bounds.length / 2;
    }

    public List<Range> ranges() {
        List<Range> out = new ArrayList<>(rangeCount());
        for (int i = 0; i < bounds.length; i += 2) {
            out.add(new Range(bounds[i], bounds[i + 1]));
        }
        return out;
    }

    /**
     * The chunks of {@code [0, chunkCount)} this set does not hold.
     *
     * @throws IllegalArgumentException if the set holds a chunk at or past {@code chunkCount}
     */
    public ChunkRanges complement(int chunkCount) {
        if (chunkCount < 0 || (bounds.length > 0 && bounds[bounds.length - 1] > chunkCount)) {
            throw new IllegalArgumentException("chunkCount=" + chunkCount + " is below the set's end " + this);
        }
        int[] out = new int[bounds.length + 2];
        int k = 0;
        int at = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] > at) {
                out[k++] = at;
                out[k++] = bounds[i];
            }
            at = bounds[i + 1];
        }
        if (at < chunkCount) {
            out[k++] = at;
            out[k++] = chunkCount;
        }
        return k == 0 ? EMPTY : new ChunkRanges(Arrays.copyOf(out, k));
    }

    public BitSet toBitSet() {
        BitSet b = new BitSet();
        for (int i = 0; i < bounds.length; i += 2) {
            b.set(bounds[i], bounds[i + 1]);
        }
        return b;
    }

    /** The set holding exactly the set bits of {@code bits}. */
    public static ChunkRanges fromBitSet(BitSet bits) {
        ChunkRanges r = EMPTY;
        for (int from = bits.nextSetBit(0); from >= 0; from = bits.nextSetBit(bits.nextClearBit(from))) {
            r = r.with(from, bits.nextClearBit(from));
        }
        return r;
    }

    private static void checkRange(int from, int toExclusive) {
        if (from < 0 || toExclusive <= from) {
            throw new IllegalArgumentException("chunk range [" + from + ", " + toExclusive + ") is empty or negative");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkRanges r && Arrays.equals(bounds, r.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    /** For example {@code [0,4) [7,9)}; {@code []} when empty. */
    @Override
    public String toString() {
        if (bounds.length == 0) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bounds.length; i += 2) {
            sb.append(i == 0 ? "" : " ").append('[').append(bounds[i]).append(',').append(bounds[i + 1]).append(')');
        }
        return sb.toString();
    }
}
