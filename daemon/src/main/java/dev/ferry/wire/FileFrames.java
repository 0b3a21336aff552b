package dev.ferry.wire;

import static dev.ferry.wire.FieldReader.bytes;
import static dev.ferry.wire.FieldReader.checkedProduct;
import static dev.ferry.wire.FieldReader.fileId;
import static dev.ferry.wire.FieldReader.mtimeSeconds;
import static dev.ferry.wire.FieldReader.nonNegativeInt;
import static dev.ferry.wire.FieldReader.nonNegativeLong;
import static dev.ferry.wire.FieldReader.positiveInt;
import static dev.ferry.wire.FieldReader.str;
import static dev.ferry.wire.FieldReader.u16;
import static dev.ferry.wire.FieldReader.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Payloads of the frames that move one file, CHUNK aside ({@link ChunkFrames}): OFFER, HASHES, NEED, ACK, NACK,
 * COMMIT, DONE. Big-endian; a row is 4 bytes; {@code str} is a u16 byte count then that many bytes of UTF-8; a
 * field after a variable one follows it directly; {@code d} is the digest length of the offer's hash algorithm
 * (16 for xxh3-128, 32 for sha-256).
 *
 * <pre>
 * OFFER (0x10), sender to receiver
 * +---------------+---------------+---------------+---------------+
 * |                          fileId (u32)                         |
 * +---------------+---------------+---------------+---------------+
 * |   kind (u8)   |  flags (u8)   |  path (str, at most 4096) ... |
 * +---------------+---------------+-------------------------------+
 * |  size (u64)                                                   |
 * |  mtimeSeconds (i64)                                           |
 * |  mtimeNanos (u32)                                             |
 * |  mode (u32)                                                   |
 * |  chunkSize (u32)                                              |
 * |  hashAlgorithm (u8)                                           |
 * |  chunkCount (u32) = ceil(size / chunkSize)                    |
 * |  fileHash (d bytes; none when STREAMED) ...                   |
 * |  n (u32): chunk hashes in this frame                          |
 * |  hashes of chunks 0 .. n-1 (n * d bytes) ...                  |
 * +---------------------------------------------------------------+
 *   kind: 0 file, 1 directory (size 0, no chunks)
 *   flags: 0x01 STREAMED, 0x02 INLINE (not both; neither = ASKED)
 *
 * HASHES (0x11), sender to receiver
 * +---------------+---------------+---------------+---------------+
 * |                          fileId (u32)                         |
 * +---------------------------------------------------------------+
 * |                        firstIndex (u32)                       |
 * +---------------+-----------------------------------------------+
 * | hashAlgorithm |  n (u32) ...  |  n * d bytes of hashes ...    |
 * |     (u8)      |               |                               |
 * +---------------+---------------+-------------------------------+
 *
 * NEED (0x12), receiver to sender
 * +---------------+---------------+---------------+---------------+
 * |                          fileId (u32)                         |
 * +---------------+-----------------------------------------------+
 * |  flags (u8)   |  n (u32): ranges, at most 65536 ...           |
 * +---------------+-----------------------------------------------+
 * |  n times:  start (u32) | count (u32, at least 1)              |
 * +---------------------------------------------------------------+
 *   flags: 0x01 MORE (another NEED follows), 0x02 IDENTICAL, 0x04 HASHES_FIRST
 *          (IDENTICAL and HASHES_FIRST each come alone: no MORE, no ranges)
 *
 * ACK (0x14), receiver to sender      NACK (0x15), receiver to sender
 * +-------------------------------+   +-------------------------------+
 * |         fileId (u32)          |   |         fileId (u32)          |
 * +-------------------------------+   +-------------------------------+
 * |          index (u32)          |   |          index (u32)          |
 * +-------------------------------+   +---------------+---------------+
 *                                     | reason (u16)  |
 *                                     +---------------+
 *
 * COMMIT (0x16), sender to receiver   DONE (0x17), receiver to sender
 * +-------------------------------+   +-------------------------------+
 * |         fileId (u32)          |   |     fileId or opId (u32)      |
 * +-------+-----------------------+   +-------------------------------+
 * | n (u8)| fileHash (n bytes) ...|
 * +-------+-----------------------+
 *   n: 0, or d after a STREAMED offer
 * </pre>
 *
 * Stateless; any thread.
 */
final class FileFrames {
    /** OFFER flags: the hashes follow the offer chunk by chunk; the chunks follow the offer unasked. */
    static final int OFFER_STREAMED = 0x01, OFFER_INLINE = 0x02;
    /** NEED flags: another NEED follows; the receiver already holds this file; send every hash first. */
    static final int NEED_MORE = 0x01, NEED_IDENTICAL = 0x02, NEED_HASHES_FIRST = 0x04;
    private static final int NEED_KNOWN_FLAGS = NEED_MORE | NEED_IDENTICAL | NEED_HASHES_FIRST;
    /** A NEED range on the wire: u32 start, u32 count. */
    private static final int RANGE_BYTES = 8;

    private FileFrames() {
    }

    // ---- decoding -----------------------------------------------------------------------------------------

    static Frame.Offer readOffer(ByteBuffer p, WireLimits limits) throws ProtocolException {
        int fileId = fileId(p);
        int kindCode = u8(p);
        EntryKind kind = switch (kindCode) { // an OFFER is of a file or a directory, never of a symlink
            case 0 -> EntryKind.FILE;
            case 1 -> EntryKind.DIRECTORY;
            default -> throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER kind=" + kindCode + " (expected 0 or 1)");
        };
        int flags = u8(p);
        boolean both = flags == (OFFER_STREAMED | OFFER_INLINE);
        if ((flags & ~(OFFER_STREAMED | OFFER_INLINE)) != 0 || both) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER flags=0x" + Integer.toHexString(flags)
                    + (both ? " (streamed and inline)" : " (unknown bits)"));
        }
        boolean streamed = (flags & OFFER_STREAMED) != 0;
        boolean inline = (flags & OFFER_INLINE) != 0;
        String path = str(p, "path", Protocol.MAX_PATH_BYTES);
        long size = nonNegativeLong(p, "size");
        long mtimeSeconds = mtimeSeconds(p);
        int mtimeNanos = nonNegativeInt(p, "mtimeNanos");
        if (mtimeNanos > 999_999_999) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER mtimeNanos=" + mtimeNanos + " > 999999999");
        }
        int mode = nonNegativeInt(p, "mode");
        int chunkSize = positiveInt(p, "chunkSize");
        if (chunkSize > limits.maxChunkLength() || chunkSize < WireLimits.MIN_CHUNK) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER chunkSize=" + chunkSize + " outside " + WireLimits.MIN_CHUNK
                    + ".." + limits.maxChunkLength());
        }
        HashAlgorithm algorithm = HashAlgorithm.byId(u8(p));
        int chunkCount = nonNegativeInt(p, "chunkCount");
        long expectedChunks = Math.ceilDiv(size, chunkSize);
        if (chunkCount != expectedChunks) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER chunkCount=" + chunkCount + " but size=" + size
                    + " / chunkSize=" + chunkSize + " needs " + expectedChunks);
        }
        if (kind == EntryKind.DIRECTORY && size != 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER of a directory with size=" + size);
        }
        byte[] fileHash = bytes(p, "fileHash", streamed ? 0 : algorithm.digestLength());
        int n = nonNegativeInt(p, "hash count");
        if (n > chunkCount || (streamed && n > 0)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER carries " + n + " hashes for chunkCount=" + chunkCount
                    + (streamed ? " (a streamed offer carries none)" : ""));
        }
        if (inline && (kind != EntryKind.FILE || n != chunkCount)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "inline OFFER of a " + kind.name().toLowerCase() + " with " + n
                    + " of " + chunkCount + " hashes (an inline offer is a file carrying every hash)");
        }
        byte[] hashes = bytes(p, "hashes", checkedProduct(n, algorithm.digestLength(), p, "OFFER"));
        return new Frame.Offer(fileId, kind, path, size, mtimeSeconds, mtimeNanos, mode, chunkSize, algorithm, fileHash,
                chunkCount, hashes, streamed ? Frame.Delivery.STREAMED : inline ? Frame.Delivery.INLINE : Frame.Delivery.ASKED);
    }

    static Frame.Hashes readHashes(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        int first = nonNegativeInt(p, "firstIndex");
        HashAlgorithm algorithm = HashAlgorithm.byId(u8(p));
        int n = nonNegativeInt(p, "hash count");
        int bytes = checkedProduct(n, algorithm.digestLength(), p, "HASHES");
        return new Frame.Hashes(fileId, first, algorithm, bytes(p, "hashes", bytes));
    }

    static Frame.Need readNeed(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        int flags = u8(p);
        int n = nonNegativeInt(p, "range count");
        if (n > Protocol.MAX_RANGES_PER_FRAME) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "NEED range count=" + n + " > max=" + Protocol.MAX_RANGES_PER_FRAME);
        }
        checkedProduct(n, RANGE_BYTES, p, "NEED");
        List<Frame.Range> ranges = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int start = nonNegativeInt(p, "range start");
            int count = positiveInt(p, "range count");
            if (start + (long) count > Integer.MAX_VALUE) {
                throw new ProtocolException(ErrorCode.PROTOCOL, "NEED range start=" + start + " count=" + count + " overflows");
            }
            ranges.add(new Frame.Range(start, count));
        }
        boolean more = (flags & NEED_MORE) != 0;
        boolean identical = (flags & NEED_IDENTICAL) != 0;
        boolean hashesFirst = (flags & NEED_HASHES_FIRST) != 0;
        if ((flags & ~NEED_KNOWN_FLAGS) != 0 || ((identical || hashesFirst) && (n > 0 || more || identical == hashesFirst))) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "NEED flags=" + flags + " with " + n + " ranges is not a valid combination");
        }
        return new Frame.Need(fileId, ranges, more, identical, hashesFirst);
    }

    static Frame.Ack readAck(ByteBuffer p) throws ProtocolException {
        return new Frame.Ack(fileId(p), nonNegativeInt(p, "index"));
    }

    static Frame.Nack readNack(ByteBuffer p) throws ProtocolException {
        return new Frame.Nack(fileId(p), nonNegativeInt(p, "index"), ErrorCode.byCode(u16(p, "reason")));
    }

    static Frame.Commit readCommit(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        int n = u8(p);
        if (n != 0 && n != 16 && n != 32) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "COMMIT fileHash length=" + n + " (expected 0, 16 or 32)");
        }
        return new Frame.Commit(fileId, bytes(p, "fileHash", n));
    }

    static Frame.Done readDone(ByteBuffer p) throws ProtocolException {
        return new Frame.Done(fileId(p));
    }

    // ---- encoding: each writes the payload and returns the frame's type ------------------------------------

    static byte write(Frame.Offer o, FieldWriter w) {
        int flags = switch (o.delivery()) {
            case ASKED -> 0;
            case STREAMED -> OFFER_STREAMED;
            case INLINE -> OFFER_INLINE;
        };
        w.putInt(o.fileId()).putByte(o.kind().code).putByte(flags).putStr(o.path()).putLong(o.size()).putLong(o.mtimeSeconds())
                .putInt(o.mtimeNanos()).putInt(o.mode()).putInt(o.chunkSize()).putByte(o.algorithm().id())
                .putInt(o.chunkCount()).putBytes(o.fileHash()).putInt(o.hashesInFrame()).putBytes(o.hashes());
        return FrameType.OFFER;
    }

    static byte write(Frame.Hashes h, FieldWriter w) {
        w.putInt(h.fileId()).putInt(h.firstIndex()).putByte(h.algorithm().id()).putInt(h.count()).putBytes(h.hashes());
        return FrameType.HASHES;
    }

    static byte write(Frame.Need n, FieldWriter w) {
        int flags = (n.more() ? NEED_MORE : 0) | (n.identical() ? NEED_IDENTICAL : 0) | (n.hashesFirst() ? NEED_HASHES_FIRST : 0);
        w.putInt(n.fileId()).putByte(flags).putInt(n.ranges().size());
        for (Frame.Range r : n.ranges()) {
            w.putInt(r.start()).putInt(r.count());
        }
        return FrameType.NEED;
    }

    static byte write(Frame.Ack a, FieldWriter w) {
        w.putInt(a.fileId()).putInt(a.index());
        return FrameType.ACK;
    }

    static byte write(Frame.Nack n, FieldWriter w) {
        w.putInt(n.fileId()).putInt(n.index()).putShort(n.reason().code());
        return FrameType.NACK;
    }

    static byte write(Frame.Commit c, FieldWriter w) {
        w.putInt(c.fileId()).putByte(c.fileHash().length).putBytes(c.fileHash());
        return FrameType.COMMIT;
    }

    static byte write(Frame.Done d, FieldWriter w) {
        w.putInt(d.fileId());
        return FrameType.DONE;
    }
}
