package dev.ferry.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Every message of protocol v1 and v2 (v2 adds features to AUTH and WELCOME; a CHUNK_ZSTD decodes to a
 * {@link Chunk}), as immutable values any thread may hold (a CHUNK's buffer aside): the handshake's four in
 * {@link HandshakeFrame}, the rest here. {@link FrameCodec} turns them into bytes and names the classes that draw each
 * layout; docs/PROTOCOL.md gives the order of the exchanges. File ids and tree-operation ids are chosen by the sender, unique within a connection, and start at 1
 * ({@code fileId 0} in an ERROR means the whole session).
 */
public sealed interface Frame
        permits HandshakeFrame, Frame.Error, Frame.Offer, Frame.Hashes, Frame.Need, Frame.Chunk, Frame.Ack,
                Frame.Nack, Frame.Commit, Frame.Done, Frame.Share, Frame.Join, Frame.ListRequest, Frame.Listing,
                Frame.Delete, Frame.Rename, Frame.Symlink, Frame.Ping, Frame.Pong, Frame.Bye {

    /** Ends the session ({@code fileId == 0}) or fails one file. */
    record Error(ErrorCode code, int fileId, String message) implements Frame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        public boolean session() {
            return fileId == 0;
        }
    }

    // ---- one file -----------------------------------------------------------------------------------------

    /** How an OFFER's chunks travel: asked for by NEED, streamed with their hashes, or inline right behind it. */
    enum Delivery {
        ASKED, STREAMED, INLINE
    }

    /**
     * The sender's description of one entry. For a file: its chunk hashes, the first {@code hashes.length / digest}
     * of them here, the rest in HASHES frames that follow at once. A directory has size 0 and no chunks.
     *
     * <p>How the chunks travel ({@link Delivery}): {@code ASKED}, the receiver answers NEED with the chunks it
     * lacks. {@code STREAMED}, for a big new file the sender has not hashed yet (hashing first would cost a whole
     * read): no hashes and no file hash here; each chunk's hash comes in a HASHES frame just before the chunk, the
     * file hash with COMMIT; a receiver that could reuse chunks of an older version answers NEED {@code hashesFirst}.
     * {@code INLINE}, for a small file: every hash here, chunks and COMMIT follow unasked (one round trip, not three).
     */
    record Offer(int fileId, EntryKind kind, String path, long size, long mtimeSeconds, int mtimeNanos, int mode,
                 int chunkSize, HashAlgorithm algorithm, byte[] fileHash, int chunkCount, byte[] hashes,
                 Delivery delivery) implements Frame {
        public Offer {
            FrameChecks.offerKind(kind);
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(delivery, "delivery");
            FrameChecks.offerHashes(kind, algorithm, fileHash, chunkCount, hashes, delivery);
        }

        /** A hashed (not streamed) offer. */
        public Offer(int fileId, EntryKind kind, String path, long size, long mtimeSeconds, int mtimeNanos, int mode,
                     int chunkSize, HashAlgorithm algorithm, byte[] fileHash, int chunkCount, byte[] hashes) {
            this(fileId, kind, path, size, mtimeSeconds, mtimeNanos, mode, chunkSize, algorithm, fileHash, chunkCount, hashes,
                    Delivery.ASKED);
        }

        public boolean streamed() {
            return delivery == Delivery.STREAMED;
        }

        public boolean inline() {
            return delivery == Delivery.INLINE;
        }

        public int hashesInFrame() {
            return hashes.length / algorithm.digestLength();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Offer f && fileId == f.fileId && kind == f.kind && path.equals(f.path) && size == f.size
                    && mtimeSeconds == f.mtimeSeconds && mtimeNanos == f.mtimeNanos && mode == f.mode
                    && chunkSize == f.chunkSize && algorithm == f.algorithm && Arrays.equals(fileHash, f.fileHash)
                    && chunkCount == f.chunkCount && Arrays.equals(hashes, f.hashes) && delivery == f.delivery;
        }

        @Override
        public int hashCode() {
            return Objects.hash(fileId, path, size, Arrays.hashCode(fileHash));
        }

        @Override
        public String toString() {
            return "Offer[id=" + fileId + ", " + kind + " '" + path + "', size=" + size + ", mode=" + Integer.toOctalString(mode)
                    + ", chunks=" + chunkCount + "x" + chunkSize + ", " + algorithm.displayName() + "="
                    + (streamed() ? "streamed" : HexFormat.of().formatHex(fileHash)) + ", hashesHere=" + hashesInFrame()
                    + (inline() ? ", inline" : "") + "]";
        }
    }

    /** Continuation of an OFFER's chunk hashes: {@code hashes} holds chunks {@code firstIndex, firstIndex+1, ...}. */
    record Hashes(int fileId, int firstIndex, HashAlgorithm algorithm, byte[] hashes) implements Frame {
        public Hashes {
            Objects.requireNonNull(algorithm, "algorithm");
            FrameChecks.wholeDigests(hashes, algorithm);
        }

        public int count() {
            return hashes.length / algorithm.digestLength();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashes h && fileId == h.fileId && firstIndex == h.firstIndex && algorithm == h.algorithm
                    && Arrays.equals(hashes, h.hashes);
        }

        @Override
        public int hashCode() {
            return 31 * fileId + firstIndex;
        }

        @Override
        public String toString() {
            return "Hashes[id=" + fileId + ", first=" + firstIndex + ", bytes=" + hashes.length + "]";
        }
    }

    /** A run of chunk indices {@code [start, start + count)}. */
    record Range(int start, int count) {
        public Range {
            FrameChecks.range(start, count);
        }
    }

    /**
     * The chunks the receiver lacks, as ranges; {@code more} says another NEED for this file follows. No ranges and
     * {@code more == false}: the receiver needs no chunk, the sender goes straight to COMMIT; {@code identical} then
     * says the final path already holds exactly this file (only mtime and mode may be applied). {@code hashesFirst}
     * answers a streamed OFFER: send every chunk hash (HASHES frames), then expect the real NEED.
     */
    record Need(int fileId, List<Range> ranges, boolean more, boolean identical, boolean hashesFirst) implements Frame {
        public Need {
            ranges = List.copyOf(ranges);
            FrameChecks.needAnswer(ranges, more, identical, hashesFirst);
        }

        public Need(int fileId, List<Range> ranges, boolean more, boolean identical) {
            this(fileId, ranges, more, identical, false);
        }

        /** The answer to a streamed OFFER when the receiver could reuse chunks: send the whole hash list first. */
        public static Need hashesFirst(int fileId) {
            return new Need(fileId, List.of(), false, false, true);
        }
    }

    /**
     * One chunk's bytes: {@code data}'s remaining ones (position to limit); readers leave its position alone (use
     * {@link ByteBuffer#duplicate()} or absolute access). A decoded CHUNK points into the reader's buffer, valid
     * until the next read on that channel, or, on a receiver, into a pooled direct buffer it gives back.
     */
    record Chunk(int fileId, int index, int crc32c, ByteBuffer data) implements Frame {
        public Chunk {
            Objects.requireNonNull(data, "data");
        }

        /** A chunk of {@code data[offset, offset + length)} (the array is not copied). */
        public Chunk(int fileId, int index, int crc32c, byte[] data, int offset, int length) {
            this(fileId, index, crc32c, ByteBuffer.wrap(data, offset, length));
        }

        public int length() {
            return data.remaining();
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            byte[] b = new byte[data.remaining()];
            data.get(data.position(), b);
            return b;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chunk c && fileId == c.fileId && index == c.index && crc32c == c.crc32c && data.equals(c.data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * fileId + index) + crc32c;
        }

        @Override
        public String toString() {
            return "Chunk[id=" + fileId + ", index=" + index + ", length=" + length() + ", crc32c=" + Integer.toHexString(crc32c) + "]";
        }
    }

    /** The chunk is verified (CRC32C and strong hash) and written to the partial file. */
    record Ack(int fileId, int index) implements Frame {
    }

    /** The chunk was refused; {@code reason} says why (CRC_MISMATCH and HASH_MISMATCH mean: send it again). */
    record Nack(int fileId, int index, ErrorCode reason) implements Frame {
        public Nack {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Sender: every needed chunk is acked, make the file final. {@code fileHash} is empty, or, for a streamed
     * offer, the whole-file hash (known only now).
     */
    record Commit(int fileId, byte[] fileHash) implements Frame {
        public Commit {
            Objects.requireNonNull(fileHash, "fileHash");
        }

        public Commit(int fileId) {
            this(fileId, new byte[0]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Commit c && fileId == c.fileId && Arrays.equals(fileHash, c.fileHash);
        }

        @Override
        public int hashCode() {
            return fileId;
        }

        @Override
        public String toString() {
            return "Commit[id=" + fileId + (fileHash.length == 0 ? "" : ", fileHash=" + HexFormat.of().formatHex(fileHash)) + "]";
        }
    }

    /** Receiver: the file is verified, durable and at its final path. */
    record Done(int fileId) implements Frame {
    }

    // ---- parallel streams (version 2, feature STREAMS) ---------------------------------------------------------

    /** Sender, right before the OFFER of {@code fileId}: the file may be JOINed with {@code key} (16 random bytes). */
    record Share(int fileId, byte[] key) implements Frame {
        public Share {
            FrameChecks.shareKey(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Share s && fileId == s.fileId && Arrays.equals(key, s.key);
        }

        @Override
        public int hashCode() {
            return fileId;
        }

        @Override
        public String toString() {
            return "Share[id=" + fileId + ", key=redacted]";
        }
    }

    /** Sender, on another connection: HASHES and CHUNKs with {@code fileId} go into the SHAREd file at {@code path}. */
    record Join(int fileId, byte[] key, String path) implements Frame {
        public Join {
            FrameChecks.shareKey(key);
            Objects.requireNonNull(path, "path");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Join j && fileId == j.fileId && Arrays.equals(key, j.key) && path.equals(j.path);
        }

        @Override
        public int hashCode() {
            return fileId;
        }

        @Override
        public String toString() {
            return "Join[id=" + fileId + ", '" + path + "', key=redacted]";
        }
    }

    // ---- tree operations (sent by the daemon's targets) --------------------------------------------------------

    /** Asks for the receiver's listing of a subtree ("" = the whole folder); answered by LISTING frames. */
    record ListRequest(int requestId, String subtree) implements Frame {
        public ListRequest {
            Objects.requireNonNull(subtree, "subtree");
        }
    }

    /** One entry of a LISTING: what the receiver holds at {@code path}. {@code linkTarget} is "" unless a symlink. */
    record ListedEntry(EntryKind kind, String path, long size, long mtimeSeconds, int mtimeNanos, int mode, String linkTarget) {
        public ListedEntry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(linkTarget, "linkTarget");
        }
    }

    /** Part of the answer to LIST; {@code more} says another LISTING for this request follows. */
    record Listing(int requestId, List<ListedEntry> entries, boolean more) implements Frame {
        public Listing {
            entries = List.copyOf(entries);
        }
    }

    /** Removes a file, symlink or directory tree; answered DONE (also when it was already gone) or ERROR. */
    record Delete(int opId, String path) implements Frame {
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Moves {@code from} to {@code to} on the receiver (no bytes re-sent); ERROR NOT_FOUND if {@code from} is gone. */
    record Rename(int opId, String from, String to) implements Frame {
        public Rename {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** Creates or replaces a symlink at {@code path} pointing to {@code target}, with that mtime. */
    record Symlink(int opId, String path, String target, long mtimeSeconds, int mtimeNanos) implements Frame {
        public Symlink {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(target, "target");
        }
    }

    // ---- session --------------------------------------------------------------------------------------------

    /** Keep-alive; answered with a PONG carrying the same value. */
    record Ping(long value) implements Frame {
    }

    record Pong(long value) implements Frame {
    }

    /** The sender has nothing more; the receiver closes after it. */
    record Bye() implements Frame {
    }
}
