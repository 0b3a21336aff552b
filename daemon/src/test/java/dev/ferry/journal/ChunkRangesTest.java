package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The acked/missing chunk sets, against a BitSet as the model. */
class ChunkRangesTest {


    @Property(tries = 300)
    void addingRangesHoldsExactlyTheChunksABitSetHolds(@ForAll @Size(max = 25) List<@IntRange(min = 0, max = 60) Integer> froms,
            @ForAll @Size(max = 25) List<@IntRange(min = 1, max = 8) Integer> lengths) {
        BitSet model = new BitSet();
        ChunkRanges set = ChunkRanges.empty();
        for (int i = 0; i < Math.min(froms.size(), lengths.size()); i++) {
            int from = froms.get(i);
            int to = from + lengths.get(i);
            set = set.with(from, to);
            model.set(from, to);
        }
        assertThat(set.toBitSet()).isEqualTo(model);
        assertThat(set.count()).isEqualTo(model.cardinality());
        assertThat(set).isEqualTo(ChunkRanges.fromBitSet(model));
        for (int c = 0; c < 70; c++) {
            assertThat(set.contains(c)).as("chunk %d", c).isEqualTo(model.get(c));
        }
        List<ChunkRanges.Range> ranges = set.ranges();
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).as("ranges are merged when they touch")
                    .isGreaterThan(ranges.get(i - 1).toExclusive());
        }
        BitSet missing = new BitSet();
        missing.set(0, 70);
        missing.andNot(model);
        assertThat(set.complement(70).toBitSet()).isEqualTo(missing);
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
