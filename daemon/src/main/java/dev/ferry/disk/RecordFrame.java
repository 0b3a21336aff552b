package dev.ferry.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame around one record of ferry's append-only files (journal segments, the source index, partial sidecars):
 * a length, a type and a CRC32C ahead of the payload. Big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               length (u32): payload bytes only                |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |   CRC32C (u32) of the type byte + payload ... |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ... CRC32C    |              payload (length bytes) ...       |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The CRC covers the type byte as well as the payload, so a flipped type cannot pass as another kind of record.
 * The payload is the format's own; each format draws it in its class doc. {@link RecordWriter} and
 * {@link RecordReader} write and read streams of these frames. Stateless; any thread.
 */
public final class RecordFrame {
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int CRC_OFFSET = 5;
    public static final int HEADER_LENGTH = 9;

    private RecordFrame() {
    }

    /**
     * Starts a record at {@code out}'s position by stepping over its header; the caller then puts the payload and
     * calls {@link #finish}. Returns the record's start. {@code out} must be backed by an array.
     */
    public static int begin(ByteBuffer out) {
        int start = out.position();
        out.position(start + HEADER_LENGTH);
        return start;
    }

    /** Fills in the header of the record begun at {@code start}: its payload is what was put since. */
    public static void finish(ByteBuffer out, int start, byte type) {
        int length = out.position() - start - HEADER_LENGTH;
        out.putInt(start + LENGTH_OFFSET, length).put(start + TYPE_OFFSET, type)
                .putInt(start + CRC_OFFSET, crc(type, out.array(), out.arrayOffset() + start + HEADER_LENGTH, length));
    }

    /** The CRC32C a frame stores for this type byte and payload. */
    public static int crc(byte type, byte[] b, int payloadOffset, int length) {
        CRC32C c = new CRC32C();
        c.update(type);
        c.update(b, payloadOffset, length);
        return (int) c.getValue();
    }
}
