package dev.ferry.journal;

import dev.ferry.disk.FileHeader;
import dev.ferry.disk.RecordFrame;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a journal segment: the constants, the header, and the rules a reader applies. A segment
 * {@code journal-<16-digit number>.log} is a header followed by records, appended and never rewritten in place.
 * All integers are big-endian; {@code str} is a u16 byte count followed by that many bytes of UTF-8.
 *
 * <pre>
 * Segment header (28 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic (u32) "FJNL"                        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    format version (u16) = 1   |        reserved (u16) = 0     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        segment number (u64): the number in the file name      |  8
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   next id (u64): no id below it is handed out again, even if  | 16
 * |   no record of this segment names it                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 CRC32C (u32) of bytes 0..23                   | 24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Record (9 + length bytes), repeated to the end of the file: a {@link RecordFrame}
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     length (u32): payload bytes only, &lt;= MAX_RECORD_LENGTH |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |   CRC32C (u32) of the type byte + payload ... |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ... CRC32C    |              payload (length bytes) ...       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Payloads ({@link RecordCodec} writes and reads them):
 * <pre>
 * 0x01 FILE_ENQUEUED   u64 fileId | str path | u64 size | i64 mtimeNanos | u8 n | bytes[n] fileHash
 *                      | u32 chunkSize | u32 chunkCount
 * 0x02 CHUNKS_ACKED    u64 fileId | u32 fromChunk | u32 toChunkExclusive
 * 0x03 CHUNK_FAILED    u64 fileId | u32 chunk | u32 attempt | str reason
 * 0x04 FILE_COMMITTED  u64 fileId
 * 0x05 FILE_DROPPED    u64 fileId | str reason
 * 0x06 FILE_PARKED     u64 fileId | i64 retryAtEpochMillis | str reason
 * 0x07 TREE_OP_QUEUED  u64 opId | u8 kind | str path | str second     kind 1 DELETE, 2 RENAME (path = from,
 *                      second = to), 3 SYMLINK (second = target), 4 MAKE_DIR; second is "" for DELETE and MAKE_DIR
 * 0x08 TREE_OP_DONE    u64 opId
 * </pre>
 * File ids and tree-operation ids come from one counter (as on the wire, where they share one id space).
 *
 * <p>Reading. A header that is short, has another magic, another version, a non-zero reserved field, a bad CRC or
 * a segment number that differs from the file name's makes the segment unusable ({@link JournalCorruptException}):
 * segments are created under a temporary name and renamed only once fsynced, so no crash leaves such a header.
 * Records are read in order; the first one that is cut short (its header or payload runs past the end of the file),
 * longer than {@link #MAX_RECORD_LENGTH}, fails its CRC, has an unknown type, a payload that does not decode to
 * exactly its length, or breaks a rule of the live state (see {@link LiveState}) ends the log: the file is truncated
 * to the end of the record before it. This is what a torn append leaves. Damage in the middle of a segment is
 * treated the same way, so the records after it are dropped too: the journal is always a prefix of what was
 * appended, which only ever costs work done again (chunks resent, files planned again), never an ack that did not
 * happen. Every length is checked against these limits and the bytes the file has left before anything is
 * allocated.
 *
 * <p>The first 8 header bytes are a {@link FileHeader}; frames are written and read with the
 * {@code dev.ferry.disk} kit ({@link RecordFrame}, {@code RecordWriter}, {@code RecordReader}). Stateless; the
 * constants are shared by the classes of this package.
 */
final class JournalFormat {
    static final int MAGIC = 0x464A4E4C; // "FJNL"
    static final int VERSION = 1;
    static final FileHeader FILE_HEADER = new FileHeader(MAGIC, VERSION, "ferry journal");

    static final int MAGIC_OFFSET = FileHeader.MAGIC_OFFSET;
    static final int VERSION_OFFSET = FileHeader.VERSION_OFFSET;
    static final int RESERVED_OFFSET = FileHeader.RESERVED_OFFSET;
    static final int SEGMENT_OFFSET = 8;
    static final int NEXT_ID_OFFSET = 16;
    static final int HEADER_CRC_OFFSET = 24;
    static final int HEADER_LENGTH = 28;

    static final int LENGTH_OFFSET = RecordFrame.LENGTH_OFFSET;
    static final int TYPE_OFFSET = RecordFrame.TYPE_OFFSET;
    static final int CRC_OFFSET = RecordFrame.CRC_OFFSET;
    static final int RECORD_HEADER_LENGTH = RecordFrame.HEADER_LENGTH;

    static final byte FILE_ENQUEUED = 0x01, CHUNKS_ACKED = 0x02, CHUNK_FAILED = 0x03, FILE_COMMITTED = 0x04,
            FILE_DROPPED = 0x05, FILE_PARKED = 0x06, TREE_OP_QUEUED = 0x07, TREE_OP_DONE = 0x08;
    static final byte OP_DELETE = 1, OP_RENAME = 2, OP_SYMLINK = 3, OP_MAKE_DIR = 4;

    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_REASON_BYTES = 1024;
    static final int MAX_HASH_BYTES = 64;
    /** Payload limit: the largest record (a RENAME of two maximal paths) takes 8205 bytes. */
    static final int MAX_RECORD_LENGTH = 16 * 1024;

    /** What a segment header says. */
    record Header(long segment, long nextId) {
    }

    private JournalFormat() {
    }

    static ByteBuffer header(Header h) {
        ByteBuffer b = FILE_HEADER.put(ByteBuffer.allocate(HEADER_LENGTH)).putLong(h.segment()).putLong(h.nextId());
        b.putInt(headerCrc(b));
        return b.flip();
    }

    /**
     * Checks the header at the start of {@code b} (limit = the bytes read, at most {@link #HEADER_LENGTH}).
     *
     * @throws JournalCorruptException naming {@code file} and what is wrong
     */
    static Header readHeader(Path file, long expectedSegment, ByteBuffer b) throws JournalCorruptException {
        String problem = FILE_HEADER.problem(b, HEADER_LENGTH);
        if (problem != null) {
            throw new JournalCorruptException(file, problem);
        }
        int stored = b.getInt(HEADER_CRC_OFFSET);
        int computed = headerCrc(b);
        if (stored != computed) {
            throw new JournalCorruptException(file, "header CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                    + ", computed 0x" + Integer.toHexString(computed));
        }
        int reserved = FileHeader.reserved(b);
        long segment = b.getLong(SEGMENT_OFFSET);
        long nextId = b.getLong(NEXT_ID_OFFSET);
        if (reserved != 0) {
            throw new JournalCorruptException(file, "reserved=" + reserved + ", expected 0");
        }
        if (segment != expectedSegment) {
            throw new JournalCorruptException(file, "header says segment=" + segment + ", the file name says "
                    + expectedSegment);
        }
        if (nextId < 1) {
            throw new JournalCorruptException(file, "next id=" + nextId + " must be >= 1");
        }
        return new Header(segment, nextId);
    }

    private static int headerCrc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, HEADER_CRC_OFFSET));
        return (int) crc.getValue();
    }
}
