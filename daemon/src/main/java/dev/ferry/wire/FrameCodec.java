package dev.ferry.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Protocol v1 and v2 on the wire: the only code that turns a {@link Frame} into bytes and back. Every frame starts with
 * the same 5-byte header, all integers are big-endian (network order), and {@code uN} is unsigned on the wire but
 * every value ferry sends fits a signed Java int/long (the decoder rejects the ones that do not):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          length (u32): bytes that follow, type included       |  offset 0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |        payload (length - 1 bytes) ...         |  offset 4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The type codes are in {@link FrameType}, the fixed sizes and limits in {@link Protocol}; each payload is drawn by
 * the class that reads and writes it:
 * {@link SessionFrames} (HELLO, CHALLENGE, AUTH, WELCOME, ERROR, PING, PONG, BYE), {@link FileFrames} (OFFER,
 * HASHES, NEED, ACK, NACK, COMMIT, DONE), {@link ChunkFrames} (CHUNK, CHUNK_ZSTD) and {@link TreeFrames} (LIST, LISTING,
 * DELETE, RENAME, SYMLINK). A payload must be consumed exactly: trailing bytes are a protocol error.
 *
 * <p>Not thread-safe: one codec per direction of one connection, run by the thread that reads (or writes) it. A
 * decoded CHUNK's data points into this codec's buffer and stays valid until the next {@link #read} (or, with
 * {@link #chunkBuffers}, into a pooled buffer).
 */
public final class FrameCodec {
    /** Where the header's fields sit; the length counts the bytes after its own field. */
    private static final int LENGTH_OFFSET = 0, TYPE_OFFSET = 4;

    private final WireLimits limits;
    private final ChunkFrames chunks;
    private final FieldWriter fields = new FieldWriter();
    private ChunkBufferPool chunkBuffers;
    private int maxFrameLength;
    private byte[] readBuffer = new byte[64 * 1024];

    public FrameCodec(WireLimits limits) {
        this.limits = limits;
        this.chunks = new ChunkFrames(limits);
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

    /**
     * Reads one frame.
     *
     * @throws PeerClosedException if the stream ends cleanly before a frame starts
     * @throws ProtocolException   for an oversized, unknown or malformed frame (message quotes the values)
     */
    public Frame read(InputStream in) throws IOException {
        byte[] header = new byte[Protocol.HEADER_LENGTH];
        int got = in.readNBytes(header, 0, Protocol.HEADER_LENGTH);
        if (got == 0) {
            throw new PeerClosedException();
        }
        if (got < Protocol.HEADER_LENGTH) {
            throw new PeerClosedException("truncated frame header: got " + got + " of " + Protocol.HEADER_LENGTH + " bytes");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt(LENGTH_OFFSET));
        byte type = header[TYPE_OFFSET];
        if (length < 1) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "frame length=0 (must count at least the type byte)");
        }
        if (length > maxFrameLength) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "frame length=" + length + " > max=" + maxFrameLength
                    + " (type 0x" + FrameType.hex(type) + ")");
        }
        int payloadLength = (int) length - 1;
        if (!FrameType.known(type)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "unknown frame type 0x" + FrameType.hex(type) + " (length=" + length + ")");
        }
        if ((type == FrameType.CHUNK || type == FrameType.CHUNK_ZSTD) && chunkBuffers != null) {
            return chunks.readPooled(in, payloadLength, chunkBuffers, type == FrameType.CHUNK_ZSTD);
        }
        if (readBuffer.length < payloadLength) {
            readBuffer = new byte[Math.max(payloadLength, Math.min(readBuffer.length * 2, limits.maxFrameLength()))];
        }
        got = in.readNBytes(readBuffer, 0, payloadLength);
        if (got < payloadLength) {
            throw new PeerClosedException("truncated frame: type 0x" + FrameType.hex(type) + " payload got " + got
                    + " of " + payloadLength + " bytes");
        }
        ByteBuffer p = ByteBuffer.wrap(readBuffer, 0, payloadLength);
        Frame frame = decode(type, p);
        if (p.hasRemaining()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, p.remaining() + " unexpected trailing bytes in frame type 0x"
                    + FrameType.hex(type));
        }
        return frame;
    }

    private Frame decode(byte type, ByteBuffer p) throws IOException {
        return switch (type) {
            case FrameType.HELLO -> SessionFrames.readHello(p);
            case FrameType.CHALLENGE -> SessionFrames.readChallenge(p);
            case FrameType.AUTH -> SessionFrames.readAuth(p);
            case FrameType.WELCOME -> SessionFrames.readWelcome(p);
            case FrameType.ERROR -> SessionFrames.readError(p);
            case FrameType.OFFER -> FileFrames.readOffer(p, limits);
            case FrameType.HASHES -> FileFrames.readHashes(p);
            case FrameType.NEED -> FileFrames.readNeed(p);
            case FrameType.CHUNK -> chunks.readInPlace(p);
            case FrameType.CHUNK_ZSTD -> chunks.readCompressedInPlace(p);
            case FrameType.ACK -> FileFrames.readAck(p);
            case FrameType.NACK -> FileFrames.readNack(p);
            case FrameType.COMMIT -> FileFrames.readCommit(p);
            case FrameType.DONE -> FileFrames.readDone(p);
            case FrameType.SHARE -> StreamFrames.readShare(p);
            case FrameType.JOIN -> StreamFrames.readJoin(p);
            case FrameType.LIST -> TreeFrames.readList(p);
            case FrameType.LISTING -> TreeFrames.readListing(p);
            case FrameType.DELETE -> TreeFrames.readDelete(p);
            case FrameType.RENAME -> TreeFrames.readRename(p);
            case FrameType.SYMLINK -> TreeFrames.readSymlink(p);
            case FrameType.PING -> SessionFrames.readPing(p);
            case FrameType.PONG -> SessionFrames.readPong(p);
            case FrameType.BYE -> new Frame.Bye();
            default -> throw new ProtocolException(ErrorCode.PROTOCOL, "unknown frame type 0x" + FrameType.hex(type));
        };
    }

    /**
     * From now on, CHUNKs written by this codec go out compressed where that makes them smaller (see
     * {@link ChunkFrames}); {@link Compression#OFF} changes nothing. For a session that agreed on it at the handshake.
     */
    public void compressChunks(Compression compression) {
        chunks.compressWith(compression);
    }

    /** From now on, this codec reads CHUNK_ZSTD frames; before, one is a protocol error. */
    public void acceptCompressedChunks() {
        chunks.acceptCompressed();
    }

    /** Frees the native memory of compression, if any; the codec is not used afterwards. */
    public void close() {
        chunks.close();
    }

    /** Writes one frame to {@code out} (not flushed). */
    public void write(OutputStream out, Frame frame) throws IOException {
        if (frame instanceof Frame.Chunk c) {
            chunks.write(out, c);
            return;
        }
        fields.begin(Protocol.HEADER_LENGTH);
        byte type = encode(frame);
        fields.putIntAt(LENGTH_OFFSET, fields.length() - TYPE_OFFSET);
        fields.putByteAt(TYPE_OFFSET, type);
        fields.finish(out);
    }

    /**
     * Writes a CHUNK (or CHUNK_ZSTD) to {@code out} (not flushed); returns the data bytes that went on the wire: the
     * chunk's length, or less when it went compressed.
     */
    public int writeChunk(OutputStream out, Frame.Chunk chunk) throws IOException {
        return chunks.write(out, chunk);
    }

    /** Writes the payload into {@link #fields}; returns the type byte. */
    private byte encode(Frame frame) {
        FieldWriter w = fields;
        return switch (frame) {
            case HandshakeFrame.Hello h -> SessionFrames.write(h, w);
            case HandshakeFrame.Challenge c -> SessionFrames.write(c, w);
            case HandshakeFrame.Auth a -> SessionFrames.write(a, w);
            case HandshakeFrame.Welcome welcome -> SessionFrames.write(welcome, w);
            case Frame.Error e -> SessionFrames.write(e, w);
            case Frame.Offer o -> FileFrames.write(o, w);
            case Frame.Hashes h -> FileFrames.write(h, w);
            case Frame.Need n -> FileFrames.write(n, w);
            case Frame.Chunk c -> throw new IllegalStateException("chunks are written by ChunkFrames");
            case Frame.Ack a -> FileFrames.write(a, w);
            case Frame.Nack n -> FileFrames.write(n, w);
            case Frame.Commit c -> FileFrames.write(c, w);
            case Frame.Done d -> FileFrames.write(d, w);
            case Frame.Share sh -> StreamFrames.write(sh, w);
            case Frame.Join j -> StreamFrames.write(j, w);
            case Frame.ListRequest l -> TreeFrames.write(l, w);
            case Frame.Listing l -> TreeFrames.write(l, w);
            case Frame.Delete d -> TreeFrames.write(d, w);
            case Frame.Rename r -> TreeFrames.write(r, w);
            case Frame.Symlink l -> TreeFrames.write(l, w);
            case Frame.Ping p -> SessionFrames.write(p, w);
            case Frame.Pong p -> SessionFrames.write(p, w);
            case Frame.Bye b -> FrameType.BYE;
        };
    }
}
