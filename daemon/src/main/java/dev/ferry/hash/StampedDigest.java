package dev.ferry.hash;

import dev.ferry.disk.CrcTrailer;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.wire.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A file's chunk hashes as they were in one exact state of the file, its {@link Stamp}, and the small file both ends
 * keep such a list in: the sender's push digest cache (keyed by the absolute source path) and the receiver's held
 * hashes (keyed by the path in the folder). A list is good for the file only while the file's stamp is the same.
 *
 * <p>Entry layout, all integers big-endian; n = key bytes, m = hash-list bytes (chunk count x digest length):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic (4 bytes) "FRYD"                    |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | format (u8)=1 |        key length n (u16)     |  key ...      |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   ... key: the path the entry is for, n bytes of UTF-8        |  7
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   stamp: size (u64) | mtime ns (i64) | ctime ns (i64) |       |  7 + n
 * |          inode (u64) | device (u64)            (40 bytes)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | algorithm (u8)|              chunk size (u32) ...             |  47 + n
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     ...       |            hash-list length m (u32) ...       |  51 + n
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     ...       |   chunk hashes (m bytes) ...                  |  55 + n
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               CRC32C (u32) of every byte before it            |  56 + n + m
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * An entry is one unframed record with a {@link CrcTrailer}; its 5-byte header (u8 format, no reserved field)
 * predates the kit's {@code FileHeader} and stays as written (the push digest caches already on disk use it).
 *
 * @param key         the path the list is for; an entry read back must name the same one (two paths may share a
 *                    file name, which is a hash of the key)
 * @param chunkHashes {@code chunkCount * digestLength} bytes, chunk 0 first
 */
public record StampedDigest(String key, Stamp stamp, HashAlgorithm algorithm, int chunkSize, byte[] chunkHashes) {
    private static final byte[] MAGIC = {'F', 'R', 'Y', 'D'};
    private static final int FORMAT = 1;
    private static final int FIXED = 4 + 1 + 2 + 5 * 8 + 1 + 4 + 4 + CrcTrailer.LENGTH;

    /**
     * A file's identity and version as the file system reports it. The ctime cannot be set back by a user, so a file
     * written again always gets a new stamp, even with its size and mtime restored.
     */
    public record Stamp(long size, long mtimeNanos, long ctimeNanos, long inode, long device) {
    }

    /** The list and the file hash derived from it. */
    public FileDigest digest() {
        return FileDigest.of(algorithm, chunkSize, stamp.size(), chunkHashes);
    }

    /** The entry's bytes, ready to be written whole. */
    public byte[] encode() {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xFFFF) {
            throw new IllegalArgumentException("path too long for a digest entry: " + k.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED + k.length + chunkHashes.length);
        b.put(MAGIC).put((byte) FORMAT).putShort((short) k.length).put(k);
        b.putLong(stamp.size()).putLong(stamp.mtimeNanos()).putLong(stamp.ctimeNanos()).putLong(stamp.inode())
                .putLong(stamp.device());
        b.put((byte) algorithm.id()).putInt(chunkSize).putInt(chunkHashes.length).put(chunkHashes);
        return CrcTrailer.seal(b).array();
    }

    /** Null for anything that is not a whole, intact entry of this format ({@code entry} must be array-backed). */
    public static StampedDigest decode(ByteBuffer entry) {
        try {
            ByteBuffer b = entry.remaining() < FIXED ? null : CrcTrailer.open(entry);
            if (b == null) {
                return null;
            }
            byte[] magic = new byte[4];
            b.get(magic);
            if (!Arrays.equals(magic, MAGIC) || b.get() != FORMAT) {
                return null;
            }
            byte[] k = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(k);
            Stamp s = new Stamp(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
            HashAlgorithm a = HashAlgorithm.byId(b.get());
            int chunkSize = b.getInt();
            int n = b.getInt();
            if (chunkSize <= 0 || s.size() < 0 || n < 0 || n != b.remaining()
                    || (long) FileDigest.chunkCount(s.size(), chunkSize) * a.digestLength() != n) {
                return null;
            }
            byte[] hashes = new byte[n];
            b.get(hashes);
            return new StampedDigest(new String(k, StandardCharsets.UTF_8), s, a, chunkSize, hashes);
        } catch (ProtocolException | RuntimeException e) {
            return null;
        }
    }

    /** The list if this entry is for {@code key} in state {@code now}, with that chunking; null otherwise. */
    public FileDigest digestFor(String key, Stamp now, HashAlgorithm algorithm, int chunkSize) {
        return this.key.equals(key) && stamp.equals(now) && this.algorithm == algorithm && this.chunkSize == chunkSize
                ? digest() : null;
    }
}
