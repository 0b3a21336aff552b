package dev.ferry.journal;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-damaged segments, one case each: a bad header stops the pair with the file named; damage in the records is cut
 * at the first bad record with a WARN that names its offset and what was wrong. (Every offset is covered by
 * {@link TornTailPropertiesTest}.)
 */
class RecoveryTest {
    private static final FileVersion FOUR_CHUNKS = new FileVersion(16, 3, new byte[0], 4, 4);

    @TempDir
    Path dir;

    private Path segment(long n) {
        return dir.resolve(Segments.name(n));
    }

    private Journal open() throws IOException {
        return Journal.open(dir, JournalOptions.DEFAULTS, InstantSource.system());
    }

    private byte[] writeSegment(long n, List<JournalRecord> records) throws IOException {
        byte[] b = Scripts.segmentBytes(n, 1, records);
        Files.write(segment(n), b);
        return b;
    }

    // ---- the header: the pair stops ------------------------------------------------------------------------

    @Test
    void aForeignFileStopsThePairNamingTheFileAndTheMagic() throws IOException {
        byte[] b = Scripts.segmentBytes(1, 1, Scripts.random(3, 5));
        b[0] = 'X';
        Files.write(segment(1), b);

        assertThatThrownBy(this::open).isInstanceOfSatisfying(JournalCorruptException.class, e -> {
            assertThat(e.file()).isEqualTo(segment(1));
            assertThat(e.problem()).isEqualTo("magic=0x584a4e4c, expected 0x464a4e4c (not a ferry journal)");
            assertThat(e.getMessage()).isEqualTo("journal file=" + segment(1) + " cannot be used: " + e.problem()
                    + "; the pair stops (move the journal folder aside to start it afresh)");
        });
    }

    @Test
    void anUnknownFormatVersionStopsThePair() throws IOException {
        byte[] b = Scripts.segmentBytes(1, 1, List.of());
        ByteBuffer.wrap(b).putShort(JournalFormat.VERSION_OFFSET, (short) 2);
        Files.write(segment(1), b);

        assertThatThrownBy(this::open).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining(segment(1).toString())
                .hasMessageContaining("format version=2, this build reads version=1");
    }

    @Test
    void aHeaderCutShortStopsThePair() throws IOException {
        for (int length : new int[] {0, 1, JournalFormat.HEADER_LENGTH - 1}) {
            Files.write(segment(1), Arrays.copyOf(Scripts.segmentBytes(1, 1, List.of()), length));

            assertThatThrownBy(this::open).as("header of %d bytes", length).isInstanceOf(JournalCorruptException.class)
                    .hasMessageContaining("header is " + length + " bytes, expected 28");
        }
    }

    @Test
    void aSegmentRenamedByHandIsRefused() throws IOException {
        Files.write(segment(2), Scripts.segmentBytes(1, 1, List.of()));

        assertThatThrownBy(this::open).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("header says segment=1, the file name says 2");
    }

    @Test
    void aRefusedHeaderLeavesEveryFileAsItWas() throws IOException {
        byte[] older = writeSegment(1, Scripts.random(4, 10));
        byte[] newest = Scripts.segmentBytes(2, 1, Scripts.random(5, 10));
        newest[JournalFormat.NEXT_ID_OFFSET + 7] ^= 1; // caught by the header CRC
        Files.write(segment(2), newest);

        assertThatThrownBy(this::open).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("header CRC32C mismatch");
        assertThat(Files.readAllBytes(segment(1))).isEqualTo(older);
        assertThat(Files.readAllBytes(segment(2))).isEqualTo(newest);
        try (Journal j = Journal.open(dir.resolve("elsewhere"), JournalOptions.DEFAULTS, InstantSource.system())) {
            assertThat(j.state().isEmpty()).as("the lock was given back").isTrue();
        }
        Files.delete(segment(2));
        try (Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(Scripts.random(4, 10)));
        }
    }

    // ---- the records: cut at the first bad one --------------------------------------------------------------

    @Test
    void theWarningNamesTheOffsetAndTheReasonAndTheFileIsCutThere() throws IOException {
        List<JournalRecord> records = Scripts.random(9, 6);
        byte[] b = writeSegment(1, records);
        List<Integer> ends = Scripts.recordEnds(b);
        int third = ends.get(1);
        b[third + JournalFormat.RECORD_HEADER_LENGTH + 3] ^= 0x40;
        Files.write(segment(1), b);

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(records.subList(0, 2)));
            assertThat(j.counters().tornTailsCut()).isEqualTo(1);
            assertThat(log.warnings()).singleElement().asString()
                    .startsWith("journal file=" + segment(1) + " damaged at offset=" + third + ": CRC32C mismatch")
                    .endsWith("; cut the " + (b.length - third) + " bytes from there, kept 2 records");
        }
        assertThat(Files.size(segment(1))).isEqualTo((long) third);
    }

    @Test
    void aCorruptLengthIsCheckedBeforeAnythingIsAllocated() throws IOException {
        List<JournalRecord> records = Scripts.random(10, 4);
        byte[] b = writeSegment(1, records);
        int second = Scripts.recordEnds(b).get(0);
        ByteBuffer.wrap(b).putInt(second + JournalFormat.LENGTH_OFFSET, 0x7FFF_FFF0);
        Files.write(segment(1), b);

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(records.subList(0, 1)));
            assertThat(log.warnings()).singleElement().asString()
                    .contains("damaged at offset=" + second + ": record length=2147483632 > max=16384");
        }
    }

    @Test
    void aTornAppendLosesOnlyTheRecordItTore() throws IOException {
        List<JournalRecord> records = Scripts.random(11, 20);
        try (Journal j = open()) {
            Scripts.playAll(j, records);
        }
        long whole = Files.size(segment(1));
        ByteBuffer next = new RecordCodec().encode(new FileEnqueued(999, "torn", FOUR_CHUNKS));
        Files.write(segment(1), Arrays.copyOf(next.array(), next.remaining() - 3), StandardOpenOption.APPEND);

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(records));
            assertThat(log.warnings()).singleElement().asString().contains("damaged at offset=" + whole
                    + ": record length=" + (next.remaining() - 9) + " > " + (next.remaining() - 12)
                    + " bytes remaining (torn append)");
            long id = j.enqueueFile("after", FOUR_CHUNKS);
            j.chunksAcked(id, 0, 2);
        }
        try (Journal j = open()) {
            assertThat(j.counters().tornTailsCut()).isZero();
            assertThat(j.state().fileAt("after").orElseThrow().acked()).isEqualTo(ChunkRanges.of(0, 2));
        }
    }

    /**
     * The decision for damage in the middle: replay stops at the first bad record and cuts the file there, so the
     * intact records after it are dropped too. The journal stays a prefix of what happened (acked chunks are sent
     * again, finished files planned again), and never mixes a state from before the damage with records after it.
     */
    @Test
    void damageInTheMiddleDropsTheIntactRecordsAfterIt() throws IOException {
        List<JournalRecord> records = Scripts.random(12, 10);
        byte[] b = writeSegment(1, records);
        List<Integer> ends = Scripts.recordEnds(b);
        b[ends.get(0) + JournalFormat.CRC_OFFSET] ^= 0x01; // the second record's CRC

        Files.write(segment(1), b);
        try (Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(records.subList(0, 1)));
        }
        assertThat(Files.size(segment(1))).isEqualTo((long) ends.get(0));
    }

    @Test
    void aRecordTheLiveStateRefusesEndsTheLogLikeDamage() throws IOException {
        List<JournalRecord> records = List.of(new FileEnqueued(1, "a", FOUR_CHUNKS), new ChunksAcked(1, 0, 2),
                new ChunksAcked(1, 3, 5), new ChunksAcked(1, 2, 3));
        byte[] b = writeSegment(1, records);
        List<Integer> ends = Scripts.recordEnds(b);

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state().files().getFirst().acked()).isEqualTo(ChunkRanges.of(0, 2));
            assertThat(log.warnings()).singleElement().asString().contains("damaged at offset=" + ends.get(1)
                    + ": chunks [3, 5) acked past the end of fileId=1 (chunkCount=4)");
        }
    }

    @Test
    void aCompactionLeftoverIsRemovedAndNotReplayed() throws IOException {
        List<JournalRecord> records = Scripts.random(13, 10);
        writeSegment(1, records);
        Files.write(dir.resolve(Segments.name(2) + ".tmp"), Scripts.segmentBytes(2, 50, Scripts.random(14, 10, 50)));

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(records));
            assertThat(log.at(ch.qos.logback.classic.Level.INFO)).containsExactly("journal dir=" + dir
                    + " removed file=journal-0000000000000002.log.tmp left by an interrupted compaction");
        }
        assertThat(dir.resolve(Segments.name(2) + ".tmp")).doesNotExist();
    }
}
