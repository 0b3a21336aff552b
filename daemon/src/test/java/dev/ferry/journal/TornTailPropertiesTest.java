package dev.ferry.journal;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A short journal, written by the journal itself, then damaged by hand at every offset: cut there (what a torn write
 * or a crash leaves) or with one byte changed there. Replay must keep exactly the records that lie wholly before the
 * damage, never an extra one (so never an ack that was not appended), cut the file to the end of the last of them,
 * and take appends again right after. Each case is a fixed seed and length for {@link Scripts#random} (lengths from
 * 1 to 14; between them, the cases of each test hold every record type and every kind of tree op), and every offset
 * of its journal is tried.
 */
class TornTailPropertiesTest {
    private static final JournalOptions OPTIONS = JournalOptions.DEFAULTS.withDurable(false); // no fsync per cut
    private static final FileVersion V = new FileVersion(8, 1, new byte[0], 4, 2);

    @ParameterizedTest(name = "seed={0}, n={1}")
    @CsvSource({"1, 1", "402117, 3", "77310, 5", "918245, 7", "5683, 9", "640009, 11", "263442, 13", "1000000, 14"})
    void aCutAtAnyOffsetKeepsExactlyTheWholeRecordsBeforeIt(long seed, int n, @TempDir Path written,
            @TempDir Path torn) throws IOException {
        try (CapturedLog log = CapturedLog.quiet(Journal.class)) {
            List<JournalRecord> records = Scripts.random(seed, n);
            byte[] whole = write(written, records);
            List<Integer> ends = Scripts.recordEnds(whole);
            Path file = torn.resolve(Segments.name(1));

            for (int cut = 0; cut <= whole.length; cut++) {
                String what = "seed=" + seed + ", n=" + n + ": cut at " + cut + " of " + whole.length;
                Files.write(file, Arrays.copyOf(whole, cut));
                log.clear();
                if (cut < JournalFormat.HEADER_LENGTH) {
                    assertThatThrownBy(() -> open(torn)).as(what)
                            .isInstanceOf(JournalCorruptException.class).hasMessageContaining(file.toString());
                    continue;
                }
                int kept = wholeRecordsBefore(ends, cut);
                checkReplay(torn, records, kept, ends, cut != validEnd(ends, kept), what, "after/cut at " + cut);
            }
        }
    }

    @ParameterizedTest(name = "seed={0}, n={1}")
    @CsvSource({"1000000, 1", "554821, 2", "120977, 4", "86204, 6", "713650, 8", "300151, 10", "999983, 12",
            "1, 14"})
    void aChangedByteAtAnyOffsetNeverInventsARecord(long seed, int n, @TempDir Path written, @TempDir Path damaged)
            throws IOException {
        Random r = new Random(seed);
        try (CapturedLog log = CapturedLog.quiet(Journal.class)) {
            List<JournalRecord> records = Scripts.random(seed, n);
            byte[] whole = write(written, records);
            List<Integer> ends = Scripts.recordEnds(whole);
            Path file = damaged.resolve(Segments.name(1));

            for (int at = 0; at < whole.length; at++) {
                byte[] b = whole.clone();
                int xor = 1 + r.nextInt(255);
                b[at] ^= (byte) xor;
                String what = "seed=" + seed + ", n=" + n + ": byte " + at + " of " + whole.length + " xor " + xor;
                Files.write(file, b);
                log.clear();
                if (at < JournalFormat.HEADER_LENGTH) {
                    assertThatThrownBy(() -> open(damaged)).as(what)
                            .isInstanceOf(JournalCorruptException.class).hasMessageContaining(file.toString());
                    assertThat(Files.readAllBytes(file)).as("%s: left as it was", what).isEqualTo(b);
                    continue;
                }
                checkReplay(damaged, records, wholeRecordsBefore(ends, at), ends, true, what, "after/byte " + at);
                assertThat(log.warnings()).as(what).singleElement().asString()
                        .contains("damaged at offset=" + validEnd(ends, wholeRecordsBefore(ends, at)) + ": ");
            }
        }
    }

    private static byte[] write(Path dir, List<JournalRecord> records) throws IOException {
        try (Journal j = open(dir)) {
            Scripts.playAll(j, records);
        }
        return Files.readAllBytes(dir.resolve(Segments.name(1)));
    }

    private static Journal open(Path dir) throws IOException {
        return Journal.open(dir, OPTIONS, InstantSource.system());
    }

    private static int wholeRecordsBefore(List<Integer> ends, int offset) {
        return (int) ends.stream().filter(end -> end <= offset).count();
    }

    private static int validEnd(List<Integer> ends, int kept) {
        return kept == 0 ? JournalFormat.HEADER_LENGTH : ends.get(kept - 1);
    }

    /**
     * Opens the damaged folder, checks what came back, appends one record (a file at {@code afterPath}), and checks
     * the bytes on disk; {@code what} names the case in failure messages.
     */
    private static void checkReplay(Path dir, List<JournalRecord> records, int kept, List<Integer> ends,
            boolean damaged, String what, String afterPath) throws IOException {
        List<JournalRecord> expected = new ArrayList<>(records.subList(0, kept));
        Path file = dir.resolve(Segments.name(1));
        try (Journal j = open(dir)) {
            JournalState s = j.state();
            assertThat(s).as(what).isEqualTo(Scripts.stateOf(expected));
            assertNothingInvented(s, records, what);
            assertThat(j.counters().tornTailsCut()).as(what).isEqualTo(damaged ? 1 : 0);
            assertThat(Files.size(file)).as(what).isEqualTo(validEnd(ends, kept));

            long id = j.enqueueFile(afterPath, V);
            expected.add(new FileEnqueued(id, afterPath, V));
        }
        assertThat(Scripts.readRecords(file, 1)).as(what).containsExactlyElementsOf(expected);
    }

    /** Every file, ack and tree op in {@code s} comes from a record that was appended. */
    private static void assertNothingInvented(JournalState s, List<JournalRecord> records, String what) {
        for (FileProgress f : s.files()) {
            assertThat(records).as(what).contains(new FileEnqueued(f.fileId(), f.path(), f.version()));
            f.acked().toBitSet().stream().forEach(chunk -> assertThat(records).as("%s: chunk %d of %d", what, chunk,
                    f.fileId()).anyMatch(r -> r instanceof ChunksAcked a && a.fileId() == f.fileId()
                            && a.fromChunk() <= chunk && chunk < a.toChunkExclusive()));
        }
        for (PendingTreeOp op : s.treeOps()) {
            assertThat(records).as(what).contains(new TreeOpQueued(op.opId(), op.op()));
        }
    }
}
