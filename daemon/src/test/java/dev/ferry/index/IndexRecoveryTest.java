package dev.ferry.index;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-damaged index files: every truncation point and a flipped byte at every offset. The index must load
 * without throwing, keep exactly the records that lie wholly before the damage, invent nothing, and say so in a
 * WARN that names the offset.
 */
class IndexRecoveryTest {
    private static final long[] SEEDS = {1, 2, 3};

    private final FileSystem fs = Fixtures.unixFs();
    private final Path file = fs.getPath("/state/index.bin");

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    private byte[] saved(List<IndexEntry> entries) throws IOException {
        SourceIndex index = SourceIndex.empty(file);
        entries.forEach(index::put);
        index.save();
        return Files.readAllBytes(file);
    }

    /** Offsets where each entry record ends, in file order (the END record not included). */
    private static List<Integer> recordEnds(byte[] b) {
        List<Integer> ends = new ArrayList<>();
        int pos = IndexFile.HEADER_LENGTH;
        while (pos < b.length) {
            int end = pos + IndexFile.RECORD_HEADER_LENGTH + ByteBuffer.wrap(b).getInt(pos + IndexFile.LENGTH_OFFSET);
            if (b[pos + IndexFile.TYPE_OFFSET] != IndexFile.END) {
                ends.add(end);
            }
            pos = end;
        }
        return ends;
    }

    /** Records that lie wholly before {@code offset} survive damage at that offset. */
    private static int intactBefore(List<Integer> ends, int offset) {
        return (int) ends.stream().filter(end -> end <= offset).count();
    }

    @Test
    void everyTruncationKeepsExactlyTheWholeRecordsBeforeTheCut() throws IOException {
        for (long seed : SEEDS) {
            List<IndexEntry> entries = Fixtures.randomEntries(seed, 30);
            byte[] whole = saved(entries);
            List<Integer> ends = recordEnds(whole);
            assertThat(ends).hasSize(30);

            try (var log = CapturedLog.quiet(SourceIndex.class)) {
                for (int cut = 0; cut < whole.length; cut++) {
                    Files.write(file, java.util.Arrays.copyOf(whole, cut));
                    log.clear();

                    SourceIndex loaded = SourceIndex.load(file);

                    int expected = intactBefore(ends, cut);
                    assertThat(loaded.entries()).as("seed %d cut at %d", seed, cut)
                            .containsExactlyElementsOf(entries.subList(0, expected));
                    assertThat(loaded.dirty()).as("a damaged index is rewritten on the next save").isTrue();
                    assertThat(log.warnings()).as("seed %d cut at %d", seed, cut).singleElement()
                            .asString().contains("offset=");
                }
            }
        }
    }

    @Test
    void aFlippedByteAnywhereDropsTheDamagedRecordAndEverythingAfterIt() throws IOException {
        for (long seed : SEEDS) {
            List<IndexEntry> entries = Fixtures.randomEntries(seed, 30);
            byte[] whole = saved(entries);
            List<Integer> ends = recordEnds(whole);
            Random r = new Random(seed);

            try (var log = CapturedLog.quiet(SourceIndex.class)) {
                for (int at = 0; at < whole.length; at++) {
                    byte[] damaged = whole.clone();
                    damaged[at] ^= (byte) (1 + r.nextInt(255));
                    Files.write(file, damaged);
                    log.clear();

                    SourceIndex loaded = SourceIndex.load(file);

                    int expected = intactBefore(ends, at);
                    assertThat(loaded.entries()).as("seed %d flip at %d", seed, at)
                            .containsExactlyElementsOf(entries.subList(0, expected));
                    assertThat(log.warnings()).as("seed %d flip at %d", seed, at).singleElement()
                            .asString().contains("damaged at offset=");
                }
            }
        }
    }

    @Test
    void theWarningNamesTheOffsetOfTheFirstBadRecord() throws IOException {
        List<IndexEntry> entries = Fixtures.randomEntries(9, 5);
        byte[] whole = saved(entries);
        List<Integer> ends = recordEnds(whole);
        int third = ends.get(1); // the third record starts where the second ends
        whole[third + IndexFile.RECORD_HEADER_LENGTH + 3] ^= 0x40;
        Files.write(file, whole);

        try (var log = CapturedLog.quiet(SourceIndex.class)) {
            SourceIndex loaded = SourceIndex.load(file);

            assertThat(loaded.entries()).containsExactlyElementsOf(entries.subList(0, 2));
            assertThat(log.warnings()).singleElement().asString()
                    .contains("damaged at offset=" + third + ": CRC32C mismatch").contains("kept the 2 entries");
        }
    }

    @Test
    void aDamagedIndexIsWrittenWholeAgainOnTheNextSave() throws IOException {
        List<IndexEntry> entries = Fixtures.randomEntries(4, 10);
        byte[] whole = saved(entries);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 1));

        SourceIndex.load(file).save();

        try (var log = CapturedLog.quiet(SourceIndex.class)) {
            SourceIndex again = SourceIndex.load(file);
            assertThat(again.entries()).containsExactlyElementsOf(entries);
            assertThat(again.dirty()).isFalse();
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void anUnknownFormatVersionStartsEmptyWithAWarning() throws IOException {
        byte[] whole = saved(Fixtures.randomEntries(5, 3));
        whole[IndexFile.VERSION_OFFSET + 1] = 2;
        Files.write(file, whole);

        try (var log = CapturedLog.quiet(SourceIndex.class)) {
            assertThat(SourceIndex.load(file).size()).isZero();
            assertThat(log.warnings()).singleElement().asString().contains("format version=2");
        }
    }
}
