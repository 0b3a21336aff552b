package dev.ferry.wire;

import java.util.List;
import java.util.Objects;

/**
 * The rules a {@link Frame} checks when it is built, so that no code of ours can construct a frame the decoder
 * would refuse. A broken rule is our bug, hence {@link IllegalArgumentException} (bytes from a peer are checked
 * by the decoder first and fail as {@link ProtocolException}). Stateless; any thread.
 */
final class FrameChecks {
    private FrameChecks() {
    }

    /** {@code value} is not null and exactly {@code expected} bytes long. */
    static void length(String name, byte[] value, int expected) {
        Objects.requireNonNull(value, name);
        if (value.length != expected) {
            throw new IllegalArgumentException(name + ".length=" + value.length + ", expected " + expected);
        }
    }

    /** A SHARE's or JOIN's key: {@link Protocol#SHARE_KEY_LENGTH} bytes. */
    static void shareKey(byte[] key) {
        length("key", key, Protocol.SHARE_KEY_LENGTH);
    }

    /** {@code hashes} holds whole digests of {@code algorithm}. */
    static void wholeDigests(byte[] hashes, HashAlgorithm algorithm) {
        if (hashes.length % algorithm.digestLength() != 0) {
            throw new IllegalArgumentException("hashes.length=" + hashes.length + " is not a multiple of "
                    + algorithm.digestLength());
        }
    }

    /** An OFFER is of a file or a directory: a symlink travels as a SYMLINK tree operation (the decoder refuses 2). */
    static void offerKind(EntryKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (kind == EntryKind.SYMLINK) {
            throw new IllegalArgumentException("an OFFER is of a file or a directory, not kind=" + kind);
        }
    }

    /**
     * An OFFER's hashes fit its delivery: a streamed offer carries no file hash and no chunk hash; the others a file
     * hash and at most {@code chunkCount} chunk hashes; an inline offer is a file carrying every chunk hash.
     */
    static void offerHashes(EntryKind kind, HashAlgorithm algorithm, byte[] fileHash, int chunkCount, byte[] hashes,
                            Frame.Delivery delivery) {
        boolean streamed = delivery == Frame.Delivery.STREAMED;
        length("fileHash", fileHash, streamed ? 0 : algorithm.digestLength());
        int digest = algorithm.digestLength();
        if (hashes.length % digest != 0 || hashes.length / digest > chunkCount || (streamed && hashes.length > 0)) {
            throw new IllegalArgumentException("hashes.length=" + hashes.length + " is not a whole number <= chunkCount="
                    + chunkCount + " of " + digest + "-byte digests" + (streamed ? " (streamed: none)" : ""));
        }
        if (delivery == Frame.Delivery.INLINE && (kind != EntryKind.FILE || hashes.length / digest != chunkCount)) {
            throw new IllegalArgumentException("an inline offer is a file with all " + chunkCount + " hashes in the OFFER");
        }
    }

    /** A run of chunk indices that is not empty and ends within an int. */
    static void range(int start, int count) {
        if (start < 0 || count <= 0 || start + (long) count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad range start=" + start + " count=" + count);
        }
    }

    /** A NEED that says "identical" or "hashes first" says only that: one of them, no ranges, no further NEED. */
    static void needAnswer(List<Frame.Range> ranges, boolean more, boolean identical, boolean hashesFirst) {
        if ((identical || hashesFirst) && (more || !ranges.isEmpty() || identical == hashesFirst)) {
            throw new IllegalArgumentException("identical and hashesFirst each come alone, without ranges");
        }
    }
}
