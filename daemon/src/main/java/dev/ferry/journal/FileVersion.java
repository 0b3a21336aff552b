package dev.ferry.journal;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The version of a file a journal entry sends, and how it is cut into chunks.
 *
 * @param size        bytes
 * @param mtimeNanos  modification time, nanoseconds since the epoch
 * @param fileHash    whole-file hash; empty while not known yet (a big file hashed while it is streamed). At most
 *                    {@value JournalFormat#MAX_HASH_BYTES} bytes. Copied in and out: the record stays immutable.
 * @param chunkSize   bytes per chunk, > 0
 * @param chunkCount  must be {@code ceil(size / chunkSize)} (0 for an empty file), as in {@code FileDigest}
 */
public record FileVersion(long size, long mtimeNanos, byte[] fileHash, int chunkSize, int chunkCount) {
    public FileVersion {
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " must be >= 0");
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize=" + chunkSize + " must be > 0");
        }
        long expected = size / chunkSize + (size % chunkSize == 0 ? 0 : 1); // no overflow near Long.MAX_VALUE
        if (chunkCount != expected) {
            throw new IllegalArgumentException("chunkCount=" + chunkCount + " does not fit size=" + size
                    + " chunkSize=" + chunkSize + " (expected " + expected + ")");
        }
        if (fileHash == null) {
            throw new IllegalArgumentException("fileHash must not be null (empty when not known yet)");
        }
        if (fileHash.length > JournalFormat.MAX_HASH_BYTES) {
            throw new IllegalArgumentException("fileHash is " + fileHash.length + " bytes > max="
                    + JournalFormat.MAX_HASH_BYTES);
        }
        fileHash = fileHash.clone();
    }

    /** A copy of the whole-file hash (empty if not known yet). */
    @Override
    public byte[] fileHash() {
        return fileHash.clone();
    }

    /** True if the whole-file hash is known. */
    public boolean hashKnown() {
        return fileHash.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileVersion v && size == v.size && mtimeNanos == v.mtimeNanos && chunkSize == v.chunkSize
                && chunkCount == v.chunkCount && Arrays.equals(fileHash, v.fileHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Long.hashCode(mtimeNanos) * 17 + Arrays.hashCode(fileHash) + chunkSize;
    }

    @Override
    public String toString() {
        return "FileVersion[size=" + size + ", mtimeNanos=" + mtimeNanos + ", fileHash="
                + HexFormat.of().formatHex(fileHash) + ", chunkSize=" + chunkSize + ", chunkCount=" + chunkCount + "]";
    }
}
