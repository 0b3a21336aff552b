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
 * CHUNK (0x13), the one frame whose payload is file data: written as a header followed by the caller's own buffer,
 * and read either in place (inside the codec's buffer) or straight into a pooled buffer that outlives the next
 * read. Big-endian, sender to receiver:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          fileId (u32)                         |  offset 0
 * +---------------------------------------------------------------+
 * |                           index (u32)                         |  offset 4
 * +---------------------------------------------------------------+
 * |           data length (u32) = frame length - 17               |  offset 8
 * +---------------------------------------------------------------+
 * |                CRC32C of the data bytes (u32)                 |  offset 12
 * +---------------------------------------------------------------+
 * |  data (data length bytes, at most maxChunkLength) ...         |  offset 16
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Belongs to the thread of its codec (one direction of one connection).
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

    ChunkFrames(WireLimits limits) {
        this.limits = limits;
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
     * A CHUNK whose {@code payloadLength} bytes are still in {@code in}: the header is read here, the data straight
     * into a buffer taken from {@code pool}, which the receiver of the frame gives back (or this method, on failure).
     */
    Frame.Chunk readPooled(InputStream in, int payloadLength, ChunkBufferPool pool) throws IOException {
        if (payloadLength < Protocol.CHUNK_HEADER_LENGTH) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "CHUNK frame of " + payloadLength + " bytes is shorter than its "
                    + Protocol.CHUNK_HEADER_LENGTH + "-byte header");
        }
        int got = in.readNBytes(readHeader, 0, Protocol.CHUNK_HEADER_LENGTH);
        if (got < Protocol.CHUNK_HEADER_LENGTH) {
            throw new PeerClosedException("truncated frame: type 0x13 payload got " + got + " of " + payloadLength + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(readHeader);
        int fileId = fileId(h);
        int index = nonNegativeInt(h, "index");
        int length = nonNegativeInt(h, "chunk length");
        int crc = h.getInt();
        checkLength(length, payloadLength - Protocol.CHUNK_HEADER_LENGTH);
        ByteBuffer data;
        try {
            data = pool.take(length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chunk buffer");
        }
        try {
            got = readFully(in, data);
        } catch (IOException | RuntimeException e) {
            pool.give(data);
            throw e;
        }
        if (got < length) {
            pool.give(data);
            throw new PeerClosedException("truncated frame: type 0x13 payload got "
                    + (Protocol.CHUNK_HEADER_LENGTH + got) + " of " + payloadLength + " bytes");
        }
        return new Frame.Chunk(fileId, index, crc, data.flip());
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

    /** Writes the whole frame, header included; the data goes from {@code c.data()} without a copy where it can. */
    void write(OutputStream out, Frame.Chunk c) throws IOException {
        ByteBuffer h = ByteBuffer.wrap(writeHeader);
        h.putInt(1 + Protocol.CHUNK_HEADER_LENGTH + c.length()).put(FrameType.CHUNK)
                .putInt(c.fileId()).putInt(c.index()).putInt(c.length()).putInt(c.crc32c());
        if (out instanceof ChunkSink sink) {
            sink.writeChunk(writeHeader, c.data());
            return;
        }
        out.write(writeHeader);
        ByteBuffer data = c.data();
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            out.write(c.bytes());
        }
    }
}
