package dev.ferry.disk;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The other framing of ferry's files: a small file written whole in one go (a push digest cache entry) is one
 * unframed record whose CRC32C (u32, big-endian) follows it, covering every byte before it.
 *
 * <pre>
 * +-------------------------------------------+-----------------------------------+
 * | content (n bytes, the format's own)        | CRC32C (u32) of bytes 0..n-1       |
 * +-------------------------------------------+-----------------------------------+
 * </pre>
 *
 * No length field: the file's size bounds the content. Stateless; any thread.
 */
public final class CrcTrailer {
    public static final int LENGTH = 4;

    private CrcTrailer() {
    }

    /** Puts the CRC32C of {@code b}'s bytes 0..position-1 at its position. {@code b} must be backed by an array. */
    public static ByteBuffer seal(ByteBuffer b) {
        return b.putInt(crc(b, b.position()));
    }

    /**
     * The content of {@code b} (bytes 0..limit-1 ending with the trailer) if its CRC matches, positioned at 0 and
     * limited to the content; null if {@code b} is too short to hold a trailer or the CRC does not match.
     */
    public static ByteBuffer open(ByteBuffer b) {
        int content = b.limit() - LENGTH;
        if (content < 0 || crc(b, content) != b.getInt(content)) {
            return null;
        }
        return b.slice(0, content);
    }

    private static int crc(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), b.arrayOffset(), length);
        return (int) crc.getValue();
    }
}
