package dev.ferry.disk;

import java.nio.ByteBuffer;

/**
 * The first 8 bytes of the journal's segments, the source index and partial sidecars: which format the file holds
 * and in which version. A format may follow it with fields of its own (the journal adds a segment number, a next
 * id and a CRC). Big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 magic (u32): four ASCII letters               |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       format version (u16)    |        reserved (u16) = 0     |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Whether a non-zero reserved field makes the file unusable is the format's call ({@link #reserved} reads it).
 * Immutable; any thread.
 *
 * @param magic   the format's four letters as a big-endian int ("FJNL" = 0x464A4E4C)
 * @param version the format version this build writes and reads
 * @param name    what the format is called, for the message about a foreign magic ("ferry journal")
 */
public record FileHeader(int magic, int version, String name) {
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int RESERVED_OFFSET = 6;
    public static final int LENGTH = 8;

    /** Puts the magic, the version and a zero reserved field at {@code out}'s position. */
    public ByteBuffer put(ByteBuffer out) {
        return out.putInt(magic).putShort((short) version).putShort((short) 0);
    }

    /**
     * What is wrong with the header at the start of {@code b}, or null if it has this magic and version; checked
     * in that order, after the length. {@code b}'s limit is the bytes the file has, of which a whole header takes
     * {@code headerLength} (this header and the format's own fields after it).
     */
    public String problem(ByteBuffer b, int headerLength) {
        if (b.limit() < headerLength) {
            return "header is " + b.limit() + " bytes, expected " + headerLength;
        }
        int found = b.getInt(MAGIC_OFFSET);
        if (found != magic) {
            return "magic=0x" + Integer.toHexString(found) + ", expected 0x" + Integer.toHexString(magic)
                    + " (not a " + name + ")";
        }
        int foundVersion = Short.toUnsignedInt(b.getShort(VERSION_OFFSET));
        if (foundVersion != version) {
            return "format version=" + foundVersion + ", this build reads version=" + version;
        }
        return null;
    }

    /** The reserved field of the header at the start of {@code b}. */
    public static int reserved(ByteBuffer b) {
        return Short.toUnsignedInt(b.getShort(RESERVED_OFFSET));
    }
}
