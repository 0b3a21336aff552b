package dev.ferry.hash;

import dev.ferry.wire.HashAlgorithm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A file's chunk hashes and its whole-file hash. The file hash is the algorithm's digest of
 * {@code "ferry/1 file\0" | u64 size | u32 chunkSize | chunkHash[0] | ... | chunkHash[n-1]}: derived from the chunk
 * hashes, so nobody reads the data twice, and still binding every byte (and the size and the chunking).
 *
 * @param chunkHashes {@code chunkCount * digestLength} bytes, chunk 0 first
 */
public record FileDigest(HashAlgorithm algorithm, int chunkSize, long size, byte[] chunkHashes, byte[] fileHash) {
    private static final byte[] LABEL = "ferry/1 file\0".getBytes(StandardCharsets.US_ASCII);

    public FileDigest {
        int expected = Math.multiplyExact(chunkCount(size, chunkSize), algorithm.digestLength());
        if (chunkHashes.length != expected) {
            throw new IllegalArgumentException("chunkHashes.length=" + chunkHashes.length + ", expected " + expected);
        }
    }

    public static FileDigest of(HashAlgorithm algorithm, int chunkSize, long size, byte[] chunkHashes) {
        return new FileDigest(algorithm, chunkSize, size, chunkHashes, fileHash(algorithm, chunkSize, size, chunkHashes));
    }

    public static int chunkCount(long size, int chunkSize) {
        return Math.toIntExact((size + chunkSize - 1) / chunkSize);
    }

    /** Length in bytes of chunk {@code index} of a file of {@code size} bytes. */
    public static int chunkLength(long size, int chunkSize, int index) {
        return (int) Math.min(chunkSize, size - (long) index * chunkSize);
    }

    public static byte[] fileHash(HashAlgorithm algorithm, int chunkSize, long size, byte[] chunkHashes) {
        ByteBuffer b = ByteBuffer.allocate(LABEL.length + 12 + chunkHashes.length);
        b.put(LABEL).putLong(size).putInt(chunkSize).put(chunkHashes);
        return ChunkDigester.of(algorithm).digest(b.array(), 0, b.capacity());
    }

    public int chunkCount() {
        return chunkCount(size, chunkSize);
    }

    public boolean chunkEquals(int index, byte[] otherHashes, int otherIndex) {
        int d = algorithm.digestLength();
        return Arrays.equals(chunkHashes, index * d, index * d + d, otherHashes, otherIndex * d, otherIndex * d + d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileDigest f && algorithm == f.algorithm && chunkSize == f.chunkSize && size == f.size
                && Arrays.equals(chunkHashes, f.chunkHashes) && Arrays.equals(fileHash, f.fileHash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fileHash);
    }

    @Override
    public String toString() {
        return "FileDigest[" + algorithm.displayName() + "=" + HexFormat.of().formatHex(fileHash) + ", size=" + size
                + ", chunks=" + chunkCount() + "x" + chunkSize + "]";
    }
}
