package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The acked/missing chunk sets, against a BitSet as the model. */
class ChunkRangesTest {
    /** Seeded cases of the check below; each draws 0 to 25 ranges, each from 0..60 and 1 to 8 chunks long. */
    private static final int RANDOM_CASES = 2_000;

    @Test
    void addingRangesHoldsExactlyTheChunksABitSetHolds() {
        for (int i = 0; i < RANDOM_CASES; i++) {
            long seed = Scripts.seed(i);
            Random r = new Random(seed);
            int n = r.nextInt(26);
            int maxFrom = r.nextBoolean() ? 60 : r.nextInt(61); // half the cases crowd their ranges near chunk 0
            int[] froms = new int[n];
            int[] lengths = new int[n];
            for (int k = 0; k < n; k++) {
                froms[k] = r.nextInt(maxFrom + 1);
                lengths[k] = 1 + r.nextInt(8);
            }
            assertAddingRangesMatchesABitSet("seed=" + seed, froms, lengths);
        }
    }

    @Test
    void addingRangesHoldsExactlyTheChunksABitSetHoldsAtTheEdges() {
        int[] touching = new int[25]; // 0, 2, 4, ... each 2 long: every range touches the one before
        int[] twos = new int[25];
        int[] descending = new int[25]; // the same, added from the top down
        for (int k = 0; k < 25; k++) {
            touching[k] = 2 * k;
            twos[k] = 2;
            descending[k] = 48 - 2 * k;
        }
        assertAddingRangesMatchesABitSet("no ranges", new int[0], new int[0]);
        assertAddingRangesMatchesABitSet("one chunk at 0", new int[] {0}, new int[] {1});
        assertAddingRangesMatchesABitSet("last 8 chunks from 60", new int[] {60}, new int[] {8});
        assertAddingRangesMatchesABitSet("25 times chunk 0", new int[25], fill(25, 1));
        assertAddingRangesMatchesABitSet("25 times [60,68)", fill(25, 60), fill(25, 8));
        assertAddingRangesMatchesABitSet("25 touching ranges upwards", touching, twos);
        assertAddingRangesMatchesABitSet("25 touching ranges downwards", descending, twos);
        assertAddingRangesMatchesABitSet("gaps of one chunk", new int[] {0, 3, 6, 9}, new int[] {2, 2, 2, 2});
        assertAddingRangesMatchesABitSet("gap filled last", new int[] {0, 3, 2}, new int[] {2, 2, 1});
        assertAddingRangesMatchesABitSet("one range swallows all", new int[] {1, 4, 7, 0}, new int[] {1, 1, 1, 8});
    }

    private static int[] fill(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    /** Adds {@code [froms[k], froms[k] + lengths[k])} in order to a set and to a BitSet, and compares them. */
    private static void assertAddingRangesMatchesABitSet(String what, int[] froms, int[] lengths) {
        BitSet model = new BitSet();
        ChunkRanges set = ChunkRanges.empty();
        for (int i = 0; i < froms.length; i++) {
            int from = froms[i];
            int to = from + lengths[i];
            set = set.with(from, to);
            model.set(from, to);
        }
        String ranges = what + ", ranges from " + Arrays.toString(froms) + " long " + Arrays.toString(lengths);
        assertThat(set.toBitSet()).as(ranges).isEqualTo(model);
        assertThat(set.count()).as(ranges).isEqualTo(model.cardinality());
        assertThat(set).as(ranges).isEqualTo(ChunkRanges.fromBitSet(model));
        for (int c = 0; c < 70; c++) {
            assertThat(set.contains(c)).as("%s: chunk %d", ranges, c).isEqualTo(model.get(c));
        }
        List<ChunkRanges.Range> merged = set.ranges();
        for (int i = 1; i < merged.size(); i++) {
            assertThat(merged.get(i).from()).as("%s: ranges are merged when they touch", ranges)
                    .isGreaterThan(merged.get(i - 1).toExclusive());
        }
        BitSet missing = new BitSet();
        missing.set(0, 70);
        missing.andNot(model);
        assertThat(set.complement(70).toBitSet()).as("%s: complement", ranges).isEqualTo(missing);
    }

    @Test
    void touchingAndOverlappingRangesMergeIntoOne() {
        ChunkRanges r = ChunkRanges.of(0, 4).with(4, 6).with(8, 10).with(5, 9);

        assertThat(r.ranges()).containsExactly(new ChunkRanges.Range(0, 10));
        assertThat(r.toString()).isEqualTo("[0,10)");
    }

    @Test
    void addingChunksAlreadyHeldReturnsTheSameSet() {
        ChunkRanges r = ChunkRanges.of(2, 9);

        assertThat(r.with(3, 5)).isSameAs(r);
        assertThat(r.with(2, 9)).isSameAs(r);
    }

    @Test
    void missingChunksOfAPartlyAckedFile() {
        ChunkRanges acked = ChunkRanges.of(0, 3).with(5, 6);

        assertThat(acked.complement(8).ranges())
                .containsExactly(new ChunkRanges.Range(3, 5), new ChunkRanges.Range(6, 8));
        assertThat(acked.complement(6).toString()).isEqualTo("[3,5)");
        assertThat(ChunkRanges.empty().complement(0).isEmpty()).isTrue();
        assertThat(ChunkRanges.empty().complement(3).toString()).isEqualTo("[0,3)");
    }

    @Test
    void refusesEmptyNegativeOrTooShortBounds() {
        assertThatThrownBy(() -> ChunkRanges.of(3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunk range [3, 3) is empty or negative");
        assertThatThrownBy(() -> ChunkRanges.of(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkRanges.of(0, 5).complement(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkCount=4");
    }
}
