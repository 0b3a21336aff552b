package dev.ferry.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte layout of protocol v1 and the only code that reads or writes it. All integers are big-endian
 * (network order); {@code uN} is unsigned on the wire but every value ferry sends fits a signed Java int/long,
 * and the decoder rejects the ones that do not.
 *
 * <pre>
 * Frame
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 length (u32): bytes that follow               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |        payload (length - 1 bytes) ...         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * CHUNK payload (type 0x13)
 * +---------------------------------------------------------------+
 * |                          fileId (u32)                         |
 * +---------------------------------------------------------------+
 * |                          index (u32)                          |
 * +---------------------------------------------------------------+
 * |                   data length (u32) = length - 17             |
 * +---------------------------------------------------------------+
 * |                 CRC32C of the data bytes (u32)                |
 * +---------------------------------------------------------------+
 * |                        data ...                               |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Other payloads, field by field ({@code str} = u16 byte count + UTF-8; {@code bytes[n]} = raw):
 * <pre>
 * 0x01 HELLO     u32 magic "FRRY" | u16 minVersion | u16 maxVersion | str folder | bytes[32] clientNonce | str software
 * 0x02 CHALLENGE u16 version | bytes[32] serverNonce
 * 0x03 AUTH      bytes[32] HMAC-SHA256(token, "ferry/1 auth\0" | clientNonce | serverNonce | folder)
 * 0x04 WELCOME   u32 maxChunkLength | u64 maxFileSize
 * 0x05 ERROR     u16 code | u32 fileId (0 = session) | str message
 * 0x10 OFFER     u32 fileId | u8 kind (0 file, 1 dir) | u8 flags (bit 0: streamed; bit 1: inline) | str path | u64 size | i64 mtimeSeconds | u32 mtimeNanos
 *                | u32 mode | u32 chunkSize | u8 hashAlgorithm | u32 chunkCount | bytes[d, 0 if streamed] fileHash
 *                | u32 n | bytes[n*d] hashes of chunks 0..n-1            (d = digest length of the algorithm)
 * 0x11 HASHES    u32 fileId | u32 firstIndex | u8 hashAlgorithm | u32 n | bytes[n*d]
 * 0x12 NEED      u32 fileId | u8 flags (bit 0: more NEED frames follow; bit 1: identical file already there;
 *                bit 2: hashes first)
 *                | u32 n | n x (u32 start | u32 count)
 * 0x13 CHUNK     (drawn above)
 * 0x14 ACK       u32 fileId | u32 index
 * 0x15 NACK      u32 fileId | u32 index | u16 reason
 * 0x16 COMMIT    u32 fileId | u8 n | bytes[n] fileHash (n = 0, or d after a streamed OFFER)
 * 0x17 DONE      u32 fileId
 * 0x30 PING      u64 value
 * 0x31 PONG      u64 value
 * 0x32 BYE       (empty)
 * </pre>
 * 0x20 LIST      u32 requestId | str subtree ("" = the whole folder)
 * 0x21 LISTING   u32 requestId | u8 flags (bit 0: more LISTING frames follow) | u32 n | n x entry:
 *                u8 kind (0 file, 1 dir, 2 symlink) | str path | u64 size | i64 mtimeSeconds | u32 mtimeNanos | u32 mode
 *                | str linkTarget ("" unless a symlink)
 * 0x22 DELETE    u32 opId | str path
 * 0x23 RENAME    u32 opId | str from | str to
 * 0x24 SYMLINK   u32 opId | str path | str target | i64 mtimeSeconds | u32 mtimeNanos
 * </pre>
 * Operation ids (DELETE, RENAME, SYMLINK) share the file-id space: DONE or ERROR with that id answers them.
 * <pre>
 *
 * <p>Not thread-safe: one codec per direction of one connection. A decoded CHUNK's data points into this codec's
 * buffer and stays valid until the next {@link #read} (or, with {@link #chunkBuffers}, into a pooled buffer).
 */
public final class FrameCodec {
    /** The one protocol version this code speaks (HELLO offers a range; CHALLENGE picks one). */
    public static final int PROTOCOL_VERSION = 1;
    public static final int MAGIC = 0x46525259; // "FRRY"
    public static final int NONCE_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;
    public static final int HEADER_LENGTH = 5;        // u32 length + u8 type
    public static final int CHUNK_HEADER_LENGTH = 16; // fileId, index, length, crc32c
    public static final int MAX_PATH_BYTES = 4096;
    public static final int MAX_NAME_BYTES = 255;
    public static final int MAX_MESSAGE_BYTES = 2048;
    public static final int MAX_RANGES_PER_FRAME = 65_536;

    static final byte HELLO = 0x01, CHALLENGE = 0x02, AUTH = 0x03, WELCOME = 0x04, ERROR = 0x05;
    static final byte OFFER = 0x10, HASHES = 0x11, NEED = 0x12, CHUNK = 0x13, ACK = 0x14, NACK = 0x15;
    static final byte COMMIT = 0x16, DONE = 0x17, PING = 0x30, PONG = 0x31, BYE = 0x32;
    static final byte LIST = 0x20, LISTING = 0x21, DELETE = 0x22, RENAME = 0x23, SYMLINK = 0x24;
    public static final int MAX_LISTING_ENTRIES = 4096;

    private final WireLimits limits;
    private ChunkBufferPool chunkBuffers;
    private int maxFrameLength;
    private byte[] readBuffer = new byte[64 * 1024];
    private ByteBuffer writeBuffer = ByteBuffer.allocate(64 * 1024);
    private final byte[] chunkHeader = new byte[HEADER_LENGTH + CHUNK_HEADER_LENGTH];

    public FrameCodec(WireLimits limits) {
        this.limits = limits;
        this.maxFrameLength = limits.maxFrameLength();
    }

    /**
     * From now on, CHUNK payloads are read into buffers taken from {@code pool} (the receiver of the frame gives
     * them back) instead of this codec's own buffer, so that a decoded CHUNK stays valid after the next read.
     */
    public void chunkBuffers(ChunkBufferPool pool) {
        this.chunkBuffers = pool;
    }

    /**
     * Lowers (or, with {@code limits().maxFrameLength()}, restores) the largest frame {@link #read} accepts. A
     * receiver keeps it small until the peer has authenticated, so that an anonymous 5-byte header cannot make it
     * allocate a chunk-sized buffer.
     */
    public void maxFrameLength(int bytes) {
        if (bytes < 1 || bytes > limits.maxFrameLength()) {
            throw new IllegalArgumentException("maxFrameLength=" + bytes + " outside 1.." + limits.maxFrameLength());
        }
        this.maxFrameLength = bytes;
    }

    public WireLimits limits() {
        return limits;
    }

    // ---- decoding -----------------------------------------------------------------------------------------

    /**
     * Reads one frame.
     *
     * @throws PeerClosedException if the stream ends cleanly before a frame starts
     * @throws ProtocolException   for an oversized, unknown or malformed frame (message quotes the values)
     */
    public Frame read(InputStream in) throws IOException {
        byte[] header = new byte[HEADER_LENGTH];
        int got = in.readNBytes(header, 0, HEADER_LENGTH);
        if (got == 0) {
            throw new PeerClosedException();
        }
        if (got < HEADER_LENGTH) {
            throw new PeerClosedException("truncated frame header: got " + got + " of " + HEADER_LENGTH + " bytes");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt());
        byte type = header[4];
        if (length < 1) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "frame length=0 (must count at least the type byte)");
        }
        if (length > maxFrameLength) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "frame length=" + length + " > max=" + maxFrameLength
                    + " (type 0x" + hex(type) + ")");
        }
        int payloadLength = (int) length - 1;
        if (!knownType(type)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "unknown frame type 0x" + hex(type) + " (length=" + length + ")");
        }
        if (type == CHUNK && chunkBuffers != null) {
            return readPooledChunk(in, payloadLength);
        }
        if (readBuffer.length < payloadLength) {
            readBuffer = new byte[Math.max(payloadLength, Math.min(readBuffer.length * 2, limits.maxFrameLength()))];
        }
        got = in.readNBytes(readBuffer, 0, payloadLength);
        if (got < payloadLength) {
            throw new PeerClosedException("truncated frame: type 0x" + hex(type) + " payload got " + got
                    + " of " + payloadLength + " bytes");
        }
        ByteBuffer p = ByteBuffer.wrap(readBuffer, 0, payloadLength);
        Frame frame = decode(type, p);
        if (p.hasRemaining()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, p.remaining() + " unexpected trailing bytes in frame type 0x" + hex(type));
        }
        return frame;
    }

    /** CHUNK with the payload in a pooled buffer: header into our buffer, data straight into the pooled one. */
    private Frame readPooledChunk(InputStream in, int payloadLength) throws IOException {
        if (payloadLength < CHUNK_HEADER_LENGTH) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "CHUNK frame of " + payloadLength + " bytes is shorter than its "
                    + CHUNK_HEADER_LENGTH + "-byte header");
        }
        int got = in.readNBytes(readBuffer, 0, CHUNK_HEADER_LENGTH);
        if (got < CHUNK_HEADER_LENGTH) {
            throw new PeerClosedException("truncated frame: type 0x13 payload got " + got + " of "
                    + payloadLength + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(readBuffer, 0, CHUNK_HEADER_LENGTH);
        int fileId = fileId(h);
        int index = nonNegativeInt(h, "index");
        int length = nonNegativeInt(h, "chunk length");
        int crc = h.getInt();
        if (length > limits.maxChunkLength()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " > max=" + limits.maxChunkLength());
        }
        if (length != payloadLength - CHUNK_HEADER_LENGTH) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " but frame holds "
                    + (payloadLength - CHUNK_HEADER_LENGTH) + " data bytes");
        }
        ByteBuffer data;
        try {
            data = chunkBuffers.take(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a chunk buffer");
        }
        try {
            got = readFully(in, data);
        } catch (IOException | RuntimeException e) {
            chunkBuffers.give(data);
            throw e;
        }
        if (got < length) {
            chunkBuffers.give(data);
            throw new PeerClosedException("truncated frame: type 0x13 payload got "
                    + (CHUNK_HEADER_LENGTH + got) + " of " + payloadLength + " bytes");
        }
        return new Frame.Chunk(fileId, index, crc, data.flip());
    }

    /** A stream that can fill a {@link ByteBuffer} itself ({@link FrameChannel}'s: without a copy in the JVM). */
    interface BufferSource {
        /** Reads until {@code dst} is full or the stream ends; returns the bytes read. */
        int readFully(ByteBuffer dst) throws IOException;
    }

    /** A stream that writes a CHUNK's data buffer itself ({@link FrameChannel}'s: in one gathering write). */
    interface ChunkSink {
        void writeChunk(byte[] header, ByteBuffer data) throws IOException;
    }

    private static int readFully(InputStream in, ByteBuffer dst) throws IOException {
        if (in instanceof BufferSource source) {
            return source.readFully(dst);
        }
        byte[] b = new byte[Math.min(dst.remaining(), 64 * 1024)];
        int total = 0;
        while (dst.hasRemaining()) {
            int n = in.read(b, 0, Math.min(b.length, dst.remaining()));
            if (n < 0) {
                break;
            }
            dst.put(b, 0, n);
            total += n;
        }
        return total;
    }

    private Frame decode(byte type, ByteBuffer p) throws ProtocolException {
        return switch (type) {
            case HELLO -> {
                int magic = u32asInt(p, "magic");
                if (magic != MAGIC) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "bad magic 0x" + Integer.toHexString(magic) + " (not a ferry client?)");
                }
                yield new Frame.Hello(u16(p, "minVersion"), u16(p, "maxVersion"), str(p, "folder", MAX_NAME_BYTES),
                        bytes(p, "clientNonce", NONCE_LENGTH), str(p, "software", MAX_NAME_BYTES));
            }
            case CHALLENGE -> new Frame.Challenge(u16(p, "version"), bytes(p, "serverNonce", NONCE_LENGTH));
            case AUTH -> new Frame.Auth(bytes(p, "proof", PROOF_LENGTH));
            case WELCOME -> new Frame.Welcome(positiveInt(p, "maxChunkLength"), nonNegativeLong(p, "maxFileSize"));
            case ERROR -> new Frame.Error(ErrorCode.byCode(u16(p, "code")), fileIdOrZero(p), str(p, "message", MAX_MESSAGE_BYTES));
            case OFFER -> decodeOffer(p);
            case HASHES -> {
                int fileId = fileId(p);
                int first = nonNegativeInt(p, "firstIndex");
                HashAlgorithm algorithm = HashAlgorithm.byId(u8(p));
                int n = nonNegativeInt(p, "hash count");
                int bytes = checkedProduct(n, algorithm.digestLength(), p, "HASHES");
                yield new Frame.Hashes(fileId, first, algorithm, bytes(p, "hashes", bytes));
            }
            case NEED -> {
                int fileId = fileId(p);
                int flags = u8(p);
                int n = nonNegativeInt(p, "range count");
                if (n > MAX_RANGES_PER_FRAME) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "NEED range count=" + n + " > max=" + MAX_RANGES_PER_FRAME);
                }
                checkedProduct(n, 8, p, "NEED");
                List<Frame.Range> ranges = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int start = nonNegativeInt(p, "range start");
                    int count = positiveInt(p, "range count");
                    if (start + (long) count > Integer.MAX_VALUE) {
                        throw new ProtocolException(ErrorCode.PROTOCOL, "NEED range start=" + start + " count=" + count + " overflows");
                    }
                    ranges.add(new Frame.Range(start, count));
                }
                boolean identical = (flags & 2) != 0;
                boolean hashesFirst = (flags & 4) != 0;
                if ((flags & ~7) != 0 || ((identical || hashesFirst) && (n > 0 || (flags & 1) != 0 || identical == hashesFirst))) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "NEED flags=" + flags + " with " + n + " ranges is not a valid combination");
                }
                yield new Frame.Need(fileId, ranges, (flags & 1) != 0, identical, hashesFirst);
            }
            case CHUNK -> {
                int fileId = fileId(p);
                int index = nonNegativeInt(p, "index");
                int length = nonNegativeInt(p, "chunk length");
                int crc = u32asInt(p, "crc32c");
                if (length > limits.maxChunkLength()) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " > max=" + limits.maxChunkLength());
                }
                if (length != p.remaining()) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " but frame holds " + p.remaining() + " data bytes");
                }
                int offset = p.position();
                p.position(offset + length);
                yield new Frame.Chunk(fileId, index, crc, ByteBuffer.wrap(p.array(), offset, length));
            }
            case ACK -> new Frame.Ack(fileId(p), nonNegativeInt(p, "index"));
            case NACK -> new Frame.Nack(fileId(p), nonNegativeInt(p, "index"), ErrorCode.byCode(u16(p, "reason")));
            case COMMIT -> {
                int fileId = fileId(p);
                int n = u8(p);
                if (n != 0 && n != 16 && n != 32) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "COMMIT fileHash length=" + n + " (expected 0, 16 or 32)");
                }
                yield new Frame.Commit(fileId, bytes(p, "fileHash", n));
            }
            case DONE -> new Frame.Done(fileId(p));
            case LIST -> new Frame.ListRequest(nonNegativeInt(p, "requestId"), str(p, "subtree", MAX_PATH_BYTES));
            case LISTING -> {
                int requestId = nonNegativeInt(p, "requestId");
                int flags = u8(p);
                int n = nonNegativeInt(p, "entry count");
                if (n > MAX_LISTING_ENTRIES) {
                    throw new ProtocolException(ErrorCode.PROTOCOL, "LISTING entry count=" + n + " > max=" + MAX_LISTING_ENTRIES);
                }
                List<Frame.ListedEntry> entries = new ArrayList<>(Math.min(n, p.remaining() / 30 + 1));
                for (int i = 0; i < n; i++) {
                    int kind = u8(p);
                    if (kind > 2) {
                        throw new ProtocolException(ErrorCode.PROTOCOL, "LISTING entry kind=" + kind + " (expected 0, 1 or 2)");
                    }
                    String path = str(p, "path", MAX_PATH_BYTES);
                    long size = nonNegativeLong(p, "size");
                    long mtime = long64(p, "mtimeSeconds");
                    int nanos = nanos(p);
                    int mode = nonNegativeInt(p, "mode");
                    entries.add(new Frame.ListedEntry(Frame.EntryKind.values()[kind], path, size, mtime, nanos, mode,
                            str(p, "linkTarget", MAX_PATH_BYTES)));
                }
                yield new Frame.Listing(requestId, entries, (flags & 1) != 0);
            }
            case DELETE -> new Frame.Delete(fileId(p), str(p, "path", MAX_PATH_BYTES));
            case RENAME -> new Frame.Rename(fileId(p), str(p, "from", MAX_PATH_BYTES), str(p, "to", MAX_PATH_BYTES));
            case SYMLINK -> new Frame.Symlink(fileId(p), str(p, "path", MAX_PATH_BYTES), str(p, "target", MAX_PATH_BYTES),
                    long64(p, "mtimeSeconds"), nanos(p));
            case PING -> new Frame.Ping(long64(p, "value"));
            case PONG -> new Frame.Pong(long64(p, "value"));
            case BYE -> new Frame.Bye();
            default -> throw new ProtocolException(ErrorCode.PROTOCOL, "unknown frame type 0x" + hex(type));
        };
    }

    private Frame.Offer decodeOffer(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        int kindCode = u8(p);
        Frame.Kind kind = switch (kindCode) {
            case 0 -> Frame.Kind.FILE;
            case 1 -> Frame.Kind.DIRECTORY;
            default -> throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER kind=" + kindCode + " (expected 0 or 1)");
        };
        int flags = u8(p);
        if ((flags & ~3) != 0 || flags == 3) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER flags=0x" + Integer.toHexString(flags)
                    + (flags == 3 ? " (streamed and inline)" : " (unknown bits)"));
        }
        boolean streamed = (flags & 1) != 0;
        boolean inline = (flags & 2) != 0;
        String path = str(p, "path", MAX_PATH_BYTES);
        long size = nonNegativeLong(p, "size");
        long mtimeSeconds = long64(p, "mtimeSeconds");
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
        if (kind == Frame.Kind.DIRECTORY && size != 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER of a directory with size=" + size);
        }
        byte[] fileHash = bytes(p, "fileHash", streamed ? 0 : algorithm.digestLength());
        int n = nonNegativeInt(p, "hash count");
        if (n > chunkCount || (streamed && n > 0)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER carries " + n + " hashes for chunkCount=" + chunkCount
                    + (streamed ? " (a streamed offer carries none)" : ""));
        }
        if (inline && (kind != Frame.Kind.FILE || n != chunkCount)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "inline OFFER of a " + kind.name().toLowerCase() + " with " + n
                    + " of " + chunkCount + " hashes (an inline offer is a file carrying every hash)");
        }
        byte[] hashes = bytes(p, "hashes", checkedProduct(n, algorithm.digestLength(), p, "OFFER"));
        return new Frame.Offer(fileId, kind, path, size, mtimeSeconds, mtimeNanos, mode, chunkSize, algorithm, fileHash,
                chunkCount, hashes, streamed ? Frame.Delivery.STREAMED : inline ? Frame.Delivery.INLINE : Frame.Delivery.ASKED);
    }

    // ---- encoding -----------------------------------------------------------------------------------------

    /** Writes one frame to {@code out} (not flushed). */
    public void write(OutputStream out, Frame frame) throws IOException {
        if (frame instanceof Frame.Chunk c) {
            writeChunk(out, c);
            return;
        }
        ByteBuffer b = writeBuffer;
        b.clear();
        b.position(HEADER_LENGTH);
        byte type = encode(frame);
        b = writeBuffer; // encode may have grown it
        int length = b.position() - 4;
        b.putInt(0, length);
        b.put(4, type);
        out.write(b.array(), 0, b.position());
    }

    private void writeChunk(OutputStream out, Frame.Chunk c) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(chunkHeader);
        h.putInt(1 + CHUNK_HEADER_LENGTH + c.length()).put(CHUNK)
                .putInt(c.fileId()).putInt(c.index()).putInt(c.length()).putInt(c.crc32c());
        if (out instanceof ChunkSink sink) {
            sink.writeChunk(chunkHeader, c.data());
            return;
        }
        out.write(chunkHeader);
        ByteBuffer data = c.data();
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            out.write(c.bytes());
        }
    }

    private byte encode(Frame frame) {
        return switch (frame) {
            case Frame.Hello h -> {
                putInt(MAGIC).putShort(h.minVersion()).putShort(h.maxVersion()).putStr(h.folder()).putBytes(h.clientNonce()).putStr(h.software());
                yield HELLO;
            }
            case Frame.Challenge c -> {
                putShort(c.version()).putBytes(c.serverNonce());
                yield CHALLENGE;
            }
            case Frame.Auth a -> {
                putBytes(a.proof());
                yield AUTH;
            }
            case Frame.Welcome w -> {
                putInt(w.maxChunkLength()).putLong(w.maxFileSize());
                yield WELCOME;
            }
            case Frame.Error e -> {
                putShort(e.code().code()).putInt(e.fileId()).putStr(truncate(e.message(), MAX_MESSAGE_BYTES));
                yield ERROR;
            }
            case Frame.Offer o -> {
                putInt(o.fileId()).putByte(o.kind().code).putByte(switch (o.delivery()) {
                    case ASKED -> 0;
                    case STREAMED -> 1;
                    case INLINE -> 2;
                }).putStr(o.path()).putLong(o.size()).putLong(o.mtimeSeconds())
                        .putInt(o.mtimeNanos()).putInt(o.mode()).putInt(o.chunkSize()).putByte(o.algorithm().id())
                        .putInt(o.chunkCount()).putBytes(o.fileHash()).putInt(o.hashesInFrame()).putBytes(o.hashes());
                yield OFFER;
            }
            case Frame.Hashes h -> {
                putInt(h.fileId()).putInt(h.firstIndex()).putByte(h.algorithm().id()).putInt(h.count()).putBytes(h.hashes());
                yield HASHES;
            }
            case Frame.Need n -> {
                putInt(n.fileId()).putByte((n.more() ? 1 : 0) | (n.identical() ? 2 : 0) | (n.hashesFirst() ? 4 : 0)).putInt(n.ranges().size());
                for (Frame.Range r : n.ranges()) {
                    putInt(r.start()).putInt(r.count());
                }
                yield NEED;
            }
            case Frame.Chunk c -> throw new IllegalStateException("chunks are written by writeChunk");
            case Frame.Ack a -> {
                putInt(a.fileId()).putInt(a.index());
                yield ACK;
            }
            case Frame.Nack n -> {
                putInt(n.fileId()).putInt(n.index()).putShort(n.reason().code());
                yield NACK;
            }
            case Frame.Commit c -> {
                putInt(c.fileId()).putByte(c.fileHash().length).putBytes(c.fileHash());
                yield COMMIT;
            }
            case Frame.Done d -> {
                putInt(d.fileId());
                yield DONE;
            }
            case Frame.ListRequest l -> {
                putInt(l.requestId()).putStr(l.subtree());
                yield LIST;
            }
            case Frame.Listing l -> {
                putInt(l.requestId()).putByte(l.more() ? 1 : 0).putInt(l.entries().size());
                for (Frame.ListedEntry e : l.entries()) {
                    putByte(e.kind().code).putStr(e.path()).putLong(e.size()).putLong(e.mtimeSeconds()).putInt(e.mtimeNanos())
                            .putInt(e.mode()).putStr(e.linkTarget());
                }
                yield LISTING;
            }
            case Frame.Delete d -> {
                putInt(d.opId()).putStr(d.path());
                yield DELETE;
            }
            case Frame.Rename r -> {
                putInt(r.opId()).putStr(r.from()).putStr(r.to());
                yield RENAME;
            }
            case Frame.Symlink l -> {
                putInt(l.opId()).putStr(l.path()).putStr(l.target()).putLong(l.mtimeSeconds()).putInt(l.mtimeNanos());
                yield SYMLINK;
            }
            case Frame.Ping p -> {
                putLong(p.value());
                yield PING;
            }
            case Frame.Pong p -> {
                putLong(p.value());
                yield PONG;
            }
            case Frame.Bye b -> BYE;
        };
    }

    // ---- field helpers (decoding: check before reading) -------------------------------------------------

    private static void need(ByteBuffer p, int bytes, String field) throws ProtocolException {
        if (p.remaining() < bytes) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "field " + field + " needs " + bytes + " bytes, frame has "
                    + p.remaining() + " left");
        }
    }

    private static int u8(ByteBuffer p) throws ProtocolException {
        need(p, 1, "u8");
        return Byte.toUnsignedInt(p.get());
    }

    private static int u16(ByteBuffer p, String field) throws ProtocolException {
        need(p, 2, field);
        return Short.toUnsignedInt(p.getShort());
    }

    private static int u32asInt(ByteBuffer p, String field) throws ProtocolException {
        need(p, 4, field);
        return p.getInt();
    }

    private static int nonNegativeInt(ByteBuffer p, String field) throws ProtocolException {
        int v = u32asInt(p, field);
        if (v < 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=" + Integer.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    private static int positiveInt(ByteBuffer p, String field) throws ProtocolException {
        int v = nonNegativeInt(p, field);
        if (v == 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=0 (must be positive)");
        }
        return v;
    }

    private static int fileId(ByteBuffer p) throws ProtocolException {
        return positiveInt(p, "fileId");
    }

    private static int fileIdOrZero(ByteBuffer p) throws ProtocolException {
        return nonNegativeInt(p, "fileId");
    }

    private static int nanos(ByteBuffer p) throws ProtocolException {
        int v = nonNegativeInt(p, "mtimeNanos");
        if (v > 999_999_999) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "mtimeNanos=" + v + " > 999999999");
        }
        return v;
    }

    private static long long64(ByteBuffer p, String field) throws ProtocolException {
        need(p, 8, field);
        return p.getLong();
    }

    private static long nonNegativeLong(ByteBuffer p, String field) throws ProtocolException {
        long v = long64(p, field);
        if (v < 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=" + Long.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    private static byte[] bytes(ByteBuffer p, String field, int n) throws ProtocolException {
        need(p, n, field);
        byte[] b = new byte[n];
        p.get(b);
        return b;
    }

    /** n * size as an int, checked against the bytes left, before anything of that size is allocated. */
    private static int checkedProduct(int n, int size, ByteBuffer p, String frame) throws ProtocolException {
        long total = (long) n * size;
        if (total > p.remaining()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, frame + " declares " + n + " entries of " + size + " bytes, frame has "
                    + p.remaining() + " left");
        }
        return (int) total;
    }

    private static String str(ByteBuffer p, String field, int maxBytes) throws ProtocolException {
        int n = u16(p, field + " length");
        if (n > maxBytes) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + " length=" + n + " > max=" + maxBytes);
        }
        need(p, n, field);
        ByteBuffer slice = p.slice(p.position(), n);
        p.position(p.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + " is not valid UTF-8");
        }
    }

    private static boolean knownType(byte type) {
        return switch (type) {
            case HELLO, CHALLENGE, AUTH, WELCOME, ERROR, OFFER, HASHES, NEED, CHUNK, ACK, NACK, COMMIT, DONE, PING, PONG, BYE,
                 LIST, LISTING, DELETE, RENAME, SYMLINK -> true;
            default -> false;
        };
    }

    private static String hex(byte b) {
        return String.format("%02x", b);
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return s;
        }
        // cut on a character boundary
        String cut = s;
        while (cut.getBytes(StandardCharsets.UTF_8).length > maxBytes - 3) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    // ---- field helpers (encoding into writeBuffer, growing it) -------------------------------------------

    private FrameCodec ensure(int bytes) {
        if (writeBuffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(writeBuffer.capacity() * 2, writeBuffer.position() + bytes));
            writeBuffer.flip();
            bigger.put(writeBuffer);
            writeBuffer = bigger;
        }
        return this;
    }

    private FrameCodec putByte(int v) {
        ensure(1).writeBuffer.put((byte) v);
        return this;
    }

    private FrameCodec putShort(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 value " + v + " out of range");
        }
        ensure(2).writeBuffer.putShort((short) v);
        return this;
    }

    private FrameCodec putInt(int v) {
        ensure(4).writeBuffer.putInt(v);
        return this;
    }

    private FrameCodec putLong(long v) {
        ensure(8).writeBuffer.putLong(v);
        return this;
    }

    private FrameCodec putBytes(byte[] v) {
        ensure(v.length).writeBuffer.put(v);
        return this;
    }

    private FrameCodec putStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("string of " + b.length + " bytes does not fit a u16 length");
        }
        return putShort(b.length).putBytes(b);
    }
}
