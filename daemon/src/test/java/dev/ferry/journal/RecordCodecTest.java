package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.disk.RecordFrame;
import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every record type to bytes and back; and the payloads the decoder refuses. */
class RecordCodecTest {
    private static final byte[] HASH = new byte[32];

    static {
        for (int i = 0; i < HASH.length; i++) {
            HASH[i] = (byte) (i * 7);
        }
    }

    static List<JournalRecord> everyType() {
        return List.of(
                new FileEnqueued(1, "photos/été/IMG_0001.jpg", new FileVersion(10_000, 1_700_000_000_123_456_789L, HASH,
                        4096, 3)),
                new FileEnqueued(2, "big.iso", new FileVersion(0, -5, new byte[0], 1 << 20, 0)),
                new ChunksAcked(1, 0, 2),
                new ChunkFailed(1, 2, 3, "NACK reason=CRC"),
                new FileCommitted(1),
                new FileDropped(2, "source changed"),
                new FileParked(2, "keeps failing: disk full", 1_767_225_600_123L),
                new TreeOpQueued(3, new TreeOp.Delete("old/dir")),
                new TreeOpQueued(4, new TreeOp.Rename("a", "b/c")),
                new TreeOpQueued(5, new TreeOp.Symlink("link", "../target")),
                new TreeOpQueued(6, new TreeOp.MakeDir("new/dir")),
                new TreeOpDone(3));
    }

    private static JournalRecord roundTrip(JournalRecord r) {
        ByteBuffer frame = new RecordCodec().encode(r);
        int length = frame.getInt(JournalFormat.LENGTH_OFFSET);
        byte type = frame.get(JournalFormat.TYPE_OFFSET);
        assertThat(frame.remaining()).isEqualTo(JournalFormat.RECORD_HEADER_LENGTH + length);
        assertThat(frame.getInt(JournalFormat.CRC_OFFSET))
                .isEqualTo(RecordFrame.crc(type, frame.array(), JournalFormat.RECORD_HEADER_LENGTH, length));
        return RecordCodec.decode(type, frame.slice(JournalFormat.RECORD_HEADER_LENGTH, length));
    }

    @Test
    void everyRecordTypeDecodesToAnEqualRecord() {
        for (JournalRecord r : everyType()) {
            assertThat(roundTrip(r)).isEqualTo(r);
        }
    }

    @Test
    void theLargestRecordsFitTheRecordLimit() {
        String longest = "x".repeat(JournalFormat.MAX_PATH_BYTES);
        JournalRecord rename = new TreeOpQueued(Long.MAX_VALUE, new TreeOp.Rename(longest, longest));
        JournalRecord file = new FileEnqueued(7, longest,
                new FileVersion(1L << 40, Long.MIN_VALUE, new byte[64], 1 << 20, 1 << 20));

        assertThat(roundTrip(rename)).isEqualTo(rename);
        assertThat(roundTrip(file)).isEqualTo(file);
        assertThat(new RecordCodec().encode(rename).remaining() - JournalFormat.RECORD_HEADER_LENGTH).isEqualTo(8205);
    }

    @Test
    void longReasonsAreCutOnACharacterBoundaryBeforeTheyAreStored() {
        String reason = "é".repeat(600); // 1200 bytes of UTF-8
        ChunkFailed f = new ChunkFailed(1, 0, 1, reason);

        assertThat(f.reason()).isEqualTo("é".repeat(512));
        assertThat(roundTrip(f)).isEqualTo(f);
        assertThat(new FileDropped(1, "bad \uD800 half").reason()).isEqualTo("bad ? half");
    }

    @Test
    void pathsThatCannotBeStoredExactlyAreRefused() {
        assertThatThrownBy(() -> new TreeOp.Delete("x".repeat(4097))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path is 4097 bytes in UTF-8 > max=4096");
        assertThatThrownBy(() -> new TreeOp.MakeDir("bad\uDC00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> new TreeOp.Rename("", "b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("from must not be empty");
        assertThatThrownBy(() -> new FileVersion(10, 0, new byte[65], 4, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fileHash is 65 bytes > max=64");
        assertThatThrownBy(() -> new FileVersion(10, 0, new byte[0], 4, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunkCount=2 does not fit size=10 chunkSize=4 (expected 3)");
    }

    @Test
    void decoderRefusesUnknownTypesLeftoverBytesAndOutOfRangeFields() {
        assertThatThrownBy(() -> RecordCodec.decode((byte) 0x7E, ByteBuffer.allocate(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown record type 0x7e");
        assertThatThrownBy(() -> RecordCodec.decode(JournalFormat.FILE_COMMITTED,
                ByteBuffer.allocate(9).putLong(1).put((byte) 0).flip()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("1 unread payload bytes");
        assertThatThrownBy(() -> RecordCodec.decode(JournalFormat.FILE_COMMITTED, ByteBuffer.allocate(7)))
                .isInstanceOf(BufferUnderflowException.class);
        ByteBuffer negative = ByteBuffer.allocate(16).putLong(1).putInt(-1).putInt(3).flip();
        assertThatThrownBy(() -> RecordCodec.decode(JournalFormat.CHUNKS_ACKED, negative))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("chunk range [-1, 3) is empty or negative");
        ByteBuffer longPath = ByteBuffer.allocate(16).putLong(1).putShort((short) 5000).flip();
        assertThatThrownBy(() -> RecordCodec.decode(JournalFormat.FILE_ENQUEUED, longPath))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("path length=5000 > max=4096");
        ByteBuffer zeroId = ByteBuffer.allocate(8).putLong(0).flip();
        assertThatThrownBy(() -> RecordCodec.decode(JournalFormat.TREE_OP_DONE, zeroId))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("id=0 must be >= 1");
    }

    @Test
    void theHeaderRoundTripsAndSaysWhatIsWrongWithABadOne() throws Exception {
        var path = java.nio.file.Path.of("/state/pair/journal-0000000000000007.log");
        ByteBuffer h = JournalFormat.header(new JournalFormat.Header(7, 42));
        assertThat(h.remaining()).isEqualTo(JournalFormat.HEADER_LENGTH);
        assertThat(JournalFormat.readHeader(path, 7, h)).isEqualTo(new JournalFormat.Header(7, 42));

        assertThatThrownBy(() -> JournalFormat.readHeader(path, 8, h)).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("header says segment=7, the file name says 8");
        ByteBuffer v2 = JournalFormat.header(new JournalFormat.Header(7, 42)).putShort(JournalFormat.VERSION_OFFSET, (short) 2);
        assertThatThrownBy(() -> JournalFormat.readHeader(path, 7, v2)).isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("format version=2, this build reads version=1");
    }
}
