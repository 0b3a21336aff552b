package dev.ferry.wire;

import static dev.ferry.wire.FieldReader.fileId;
import static dev.ferry.wire.FieldReader.nonNegativeInt;
import static dev.ferry.wire.FieldReader.u32asInt;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * CHUNK (0x13) and CHUNK_ZSTD (0x18), the frames whose payload is file data: written as a header followed by the
 * caller's own buffer (or the compressed bytes), and read either in place (inside the codec's buffer) or straight
 * into a pooled buffer that outlives the next read. Big-endian, sender to receiver:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          fileId (u32)                         |  offset 0
 * +---------------------------------------------------------------+
 * |                           index (u32)                         |  offset 4
 * +---------------------------------------------------------------+
 * |  data length (u32): CHUNK: frame length - 17; CHUNK_ZSTD: the |  offset 8
 * |  length of the raw data, which the zstd frame must state too  |
 * +---------------------------------------------------------------+
 * |             CRC32C of the raw data bytes (u32)                |  offset 12
 * +---------------------------------------------------------------+
 * |  CHUNK: data (data length bytes, at most maxChunkLength) ...  |  offset 16
 * |  CHUNK_ZSTD: one zstd frame (frame length - 17 bytes) ...     |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * The frame type is the per-chunk flag: a sender whose session agreed on zstd sends a chunk as CHUNK_ZSTD only
 * when its zstd frame is smaller than the data, else as a plain CHUNK. Either way the decoded {@link Frame.Chunk}
 * holds the raw bytes, so CRC and hash checks do not change. A CHUNK_ZSTD on a session that did not agree on
 * zstd is a protocol error.
 *
 * <p>Belongs to the thread of its codec (one direction of one connection).
 */
final class ChunkFrames {
    /** A stream that can fill a {@link ByteBuffer} itself ({@link FrameChannel}'s: without a copy in the JVM). */
    interface BufferSource {
        /** Reads until {@code dst} is full or the stream ends; returns the bytes read. */
        int readFully(ByteBuffer dst) throws IOException;
    }

    /** A stream that writes a CHUNK's data buffer itself ({@link FrameChannel}'s: in one gathering write). */
    interface ChunkSink {
        void writeChunk(byte[] header, ByteBuffer data) throws IOException;
    }

    private final WireLimits limits;
    /** Frame header and chunk header of the CHUNK being written. */
    private final byte[] writeHeader = new byte[Protocol.HEADER_LENGTH + Protocol.CHUNK_HEADER_LENGTH];
    /** Chunk header of the CHUNK being read into a pooled buffer. */
    private final byte[] readHeader = new byte[Protocol.CHUNK_HEADER_LENGTH];

    /** Non-null once this direction compresses (writing) or accepts compressed chunks (reading). */
    private ZstdChunks zstd;
    private boolean compressing;
    /** Compressed payload of the CHUNK_ZSTD being read into a pooled buffer (direct, grown up to a frame). */
    private ByteBuffer packedIn;

    ChunkFrames(WireLimits limits) {
        this.limits = limits;
    }

    /** From now on, chunks written go out as CHUNK_ZSTD where that is smaller. */
    void compressWith(Compression compression) {
        if (!compression.on()) {
            return;
        }
        zstd = new ZstdChunks(compression.level());
        compressing = true;
    }

    /** From now on, CHUNK_ZSTD frames are read (before this, one is a protocol error). */
    void acceptCompressed() {
        if (zstd == null) {
            zstd = new ZstdChunks(Compression.DEFAULT_ZSTD_LEVEL);
        }
    }

    /** Frees zstd's native memory; the codec is done. */
    void close() {
        if (zstd != null) {
            zstd.close();
        }
    }

    /** A CHUNK_ZSTD whose compressed data is in {@code p}: decoded into a new array of the declared length. */
    Frame.Chunk readCompressedInPlace(ByteBuffer p) throws IOException {
        checkAccepted();
        int fileId = fileId(p);
        int index = nonNegativeInt(p, "index");
        int length = nonNegativeInt(p, "chunk length");
        int crc = u32asInt(p, "crc32c");
        checkCompressedLength(length, p.remaining());
        ZstdChunks.checkStatedSize(p, length);
        ByteBuffer raw = ByteBuffer.allocate(length);
        zstd.decompress(p.slice(), raw, length);
        p.position(p.limit());
        return new Frame.Chunk(fileId, index, crc, raw.flip());
    }

    /** A CHUNK whose data stays in {@code p}'s array (the codec's read buffer). */
    Frame.Chunk readInPlace(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        int index = nonNegativeInt(p, "index");
        int length = nonNegativeInt(p, "chunk length");
        int crc = u32asInt(p, "crc32c");
        checkLength(length, p.remaining());
        int offset = p.position();
        p.position(offset + length);
        return new Frame.Chunk(fileId, index, crc, ByteBuffer.wrap(p.array(), offset, length));
    }

    /**
     * A CHUNK (or, with {@code compressed}, a CHUNK_ZSTD) whose {@code payloadLength} bytes are still in {@code in}:
     * the header is read here, the data straight into a buffer taken from {@code pool} (decompressed into it for a
     * CHUNK_ZSTD), which the receiver of the frame gives back (or this method, on failure).
     */
    Frame.Chunk readPooled(InputStream in, int payloadLength, ChunkBufferPool pool, boolean compressed) throws IOException {
        String type = compressed ? "0x18" : "0x13";
        if (payloadLength < Protocol.CHUNK_HEADER_LENGTH) {
            throw new ProtocolException(ErrorCode.PROTOCOL, (compressed ? "CHUNK_ZSTD" : "CHUNK") + " frame of "
                    + payloadLength + " bytes is shorter than its " + Protocol.CHUNK_HEADER_LENGTH + "-byte header");
        }
        if (compressed) {
            checkAccepted();
        }
        int got = in.readNBytes(readHeader, 0, Protocol.CHUNK_HEADER_LENGTH);
        if (got < Protocol.CHUNK_HEADER_LENGTH) {
            throw new PeerClosedException("truncated frame: type " + type + " payload got " + got + " of " + payloadLength + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(readHeader);
        int fileId = fileId(h);
        int index = nonNegativeInt(h, "index");
        int length = nonNegativeInt(h, "chunk length");
        int crc = h.getInt();
        int dataBytes = payloadLength - Protocol.CHUNK_HEADER_LENGTH;
        ByteBuffer packed = null;
        if (compressed) {
            packed = readPacked(in, length, dataBytes, payloadLength);
        } else {
            checkLength(length, dataBytes);
        }
        ByteBuffer data = take(pool, length);
        try {
            if (compressed) {
                zstd.decompress(packed, data, length);
                return new Frame.Chunk(fileId, index, crc, data.flip());
            }
            got = readFully(in, data);
        } catch (IOException | RuntimeException e) {
            pool.give(data);
            throw e;
        }
        if (got < length) {
            pool.give(data);
            throw new PeerClosedException("truncated frame: type " + type + " payload got "
                    + (Protocol.CHUNK_HEADER_LENGTH + got) + " of " + payloadLength + " bytes");
        }
        return new Frame.Chunk(fileId, index, crc, data.flip());
    }

    /**
     * A CHUNK_ZSTD's zstd frame of {@code dataBytes}, read into {@link #packedIn}: its raw {@code length} is checked
     * against the chunk limit and its size against {@code length} before it is read (the codec checked the frame
     * limit), the size its zstd frame states after — all before the caller takes a chunk-sized buffer.
     */
    private ByteBuffer readPacked(InputStream in, int length, int dataBytes, int payloadLength) throws IOException {
        checkCompressedLength(length, dataBytes);
        ByteBuffer packed = packedIn = packedIn != null && packedIn.capacity() >= dataBytes ? packedIn.clear()
                : ByteBuffer.allocateDirect(Math.max(dataBytes, 64 * 1024));
        packed.limit(dataBytes);
        int got = readFully(in, packed);
        if (got < dataBytes) {
            throw new PeerClosedException("truncated frame: type 0x18 payload got " + (Protocol.CHUNK_HEADER_LENGTH + got)
                    + " of " + payloadLength + " bytes");
        }
        packed.flip();
        ZstdChunks.checkStatedSize(packed, length);
        return packed;
    }

    private static ByteBuffer take(ChunkBufferPool pool, int length) throws InterruptedIOException {
        try {
            return pool.take(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chunk buffer");
        }
    }

    private void checkAccepted() throws ProtocolException {
        if (zstd == null) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "CHUNK_ZSTD (0x18) on a session that did not agree on zstd");
        }
    }

    /** Before anything is allocated for a CHUNK_ZSTD: its raw length within the limit, its payload smaller. */
    private void checkCompressedLength(int length, int packedBytes) throws ProtocolException {
        if (length > limits.maxChunkLength()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " > max=" + limits.maxChunkLength());
        }
        if (packedBytes >= length) {
            // a sender compresses only when that makes the chunk smaller: this also bounds the compressed buffer
            throw new ProtocolException(ErrorCode.PROTOCOL, "compressed chunk of " + packedBytes
                    + " bytes is not smaller than its chunk length=" + length);
        }
    }

    private void checkLength(int length, int dataBytes) throws ProtocolException {
        if (length > limits.maxChunkLength()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " > max=" + limits.maxChunkLength());
        }
        if (length != dataBytes) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "chunk length=" + length + " but frame holds " + dataBytes + " data bytes");
        }
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

    /**
     * Writes the whole frame, header included; the data goes from {@code c.data()} without a copy where it can, or
     * compressed as CHUNK_ZSTD when this direction compresses and that is smaller. Returns the data bytes that went
     * on the wire: the chunk's length, or its compressed length.
     */
    int write(OutputStream out, Frame.Chunk c) throws IOException {
        ByteBuffer packed = compressing ? zstd.compress(c.data()) : null;
        ByteBuffer data = packed != null ? packed : c.data();
        ByteBuffer h = ByteBuffer.wrap(writeHeader);
        h.putInt(1 + Protocol.CHUNK_HEADER_LENGTH + data.remaining()).put(packed != null ? FrameType.CHUNK_ZSTD : FrameType.CHUNK)
                .putInt(c.fileId()).putInt(c.index()).putInt(c.length()).putInt(c.crc32c());
        int wire = data.remaining();
        if (out instanceof ChunkSink sink) {
            sink.writeChunk(writeHeader, data);
            return wire;
        }
        out.write(writeHeader);
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            byte[] b = new byte[data.remaining()];
            data.get(data.position(), b);
            out.write(b);
        }
        return wire;
    }
}
