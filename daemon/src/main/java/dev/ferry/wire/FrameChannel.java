package dev.ferry.wire;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's frame streams over a {@link Transport}. Reading belongs to one thread; writes may come from
 * several and are serialized by a lock, so a frame is never interleaved with another. Writes are buffered: call
 * {@link #flush()} (or {@link #send}) before waiting for an answer.
 *
 * <p>Both directions buffer in direct memory: small frames are gathered into one buffer, while a CHUNK's data
 * (usually a direct buffer itself) is written after its header in one gathering write, and read by the receiving
 * side straight into the buffer it came for ({@link #chunkBuffers}) — no copy in the JVM on a plain socket.
 */
public final class FrameChannel implements Closeable {
    private static final int BUFFER = 128 * 1024;
    /** Chunk data up to this size is copied into the write buffer, so that many small frames share a write. */
    private static final int COPY_CHUNKS_UP_TO = 16 * 1024;

    private final Transport transport;
    private final Inbound in = new Inbound();
    private final Outbound out = new Outbound();
    private final FrameCodec reader;
    private final FrameCodec writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Asked before every write to the transport (a bandwidth limit); set before the session's first plan. */
    private volatile WritePacer pacer = WritePacer.NONE;

    public FrameChannel(Socket socket, WireLimits limits) throws IOException {
        this(socket, limits, new byte[0]);
    }

    /**
     * A channel whose first bytes were read from the socket already (a receiver looks at the first byte to tell TLS
     * from a frame): they are read again first.
     */
    public FrameChannel(Socket socket, WireLimits limits, byte[] readAhead) throws IOException {
        socket.setTcpNoDelay(true);
        this.transport = Transport.of(socket);
        this.reader = new FrameCodec(limits);
        this.writer = new FrameCodec(limits);
        in.buf.clear().put(readAhead).flip();
    }

    /** Blocks until a frame arrives or the read deadline ({@link #readTimeout}) passes. */
    public Frame read() throws IOException {
        return reader.read(in);
    }

    public void write(Frame frame) throws IOException {
        writeLock.lock();
        try {
            writer.write(out, frame);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes a CHUNK (compressed where this channel compresses and that is smaller); returns the data bytes that went
     * on the wire for it.
     */
    public int writeChunk(Frame.Chunk chunk) throws IOException {
        writeLock.lock();
        try {
            return writer.writeChunk(out, chunk);
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link FrameCodec#compressChunks}: for a session whose handshake agreed on it; call before any chunk. */
    public void compressChunks(Compression compression) {
        writeLock.lock();
        try {
            writer.compressChunks(compression);
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link FrameCodec#acceptCompressedChunks}: call on the reading thread, before the next {@link #read()}. */
    public void acceptCompressedChunks() {
        reader.acceptCompressedChunks();
    }

    /** Every later write to the socket first asks {@code p} (see {@link WritePacer}). */
    public void pace(WritePacer p) {
        this.pacer = java.util.Objects.requireNonNull(p, "pacer");
    }

    public void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes and flushes. */
    public void send(Frame frame) throws IOException {
        writeLock.lock();
        try {
            writer.write(out, frame);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Every later {@link #read()} fails with a {@link java.net.SocketTimeoutException} after this long without data. */
    public void readTimeout(Duration timeout) throws IOException {
        transport.readTimeout(timeout);
    }

    /**
     * Every later {@link #read()} also fails with a {@link java.net.SocketTimeoutException} once {@code total} has
     * passed from now, however slowly the bytes trickle in (a handshake's one deadline); {@code null} removes it.
     */
    public void readDeadline(Duration total) throws IOException {
        transport.readDeadline(total);
    }

    /** See {@link FrameCodec#chunkBuffers}: CHUNKs read from now on live in buffers of {@code pool}. */
    public void chunkBuffers(ChunkBufferPool pool) {
        reader.chunkBuffers(pool);
    }

    /** See {@link FrameCodec#maxFrameLength(int)}: applies to frames read from now on. */
    public void maxIncomingFrame(int bytes) {
        reader.maxFrameLength(bytes);
    }

    public WireLimits limits() {
        return reader.limits();
    }

    /** "address:port" of the other end, for logs. */
    public String peer() {
        return transport.peer();
    }

    public boolean isClosed() {
        return transport.isClosed();
    }

    /** Flushes what it can, then closes the connection; a failing flush does not keep it open. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (!transport.isClosed() && writeLock.tryLock()) {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            } finally {
                writeLock.unlock();
            }
        }
        try {
            transport.close();
        } catch (IOException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        } finally {
            // zstd's native memory, if any (each waits for a compression or decompression under way)
            writer.close();
            reader.close();
        }
    }

    /** Where {@link FrameCodec} reads frames: a direct buffer refilled from the transport. */
    private final class Inbound extends InputStream implements ChunkFrames.BufferSource {
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).flip(); // [position, limit): unread bytes

        @Override
        public int read() throws IOException {
            return fill() ? buf.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        /** What is buffered first, then large remainders straight from the transport into {@code dst}. */
        @Override
        public int readFully(ByteBuffer dst) throws IOException {
            int total = 0;
            while (dst.hasRemaining()) {
                if (buf.hasRemaining()) {
                    int n = Math.min(buf.remaining(), dst.remaining());
                    dst.put(dst.position(), buf, buf.position(), n).position(dst.position() + n);
                    buf.position(buf.position() + n);
                    total += n;
                } else if (dst.remaining() >= BUFFER / 2) {
                    int n = transport.read(dst);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                } else if (!fill()) {
                    break;
                }
            }
            return total;
        }

        private boolean fill() throws IOException {
            if (buf.hasRemaining()) {
                return true;
            }
            buf.clear();
            int n;
            try {
                n = transport.read(buf);
            } finally {
                buf.flip();
            }
            return n > 0;
        }
    }

    /** Where {@link FrameCodec} writes frames: a direct buffer drained to the transport (under the write lock). */
    private final class Outbound extends OutputStream implements ChunkFrames.ChunkSink {
        private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER); // [0, position): not yet written

        @Override
        public void write(int b) throws IOException {
            if (!buf.hasRemaining()) {
                drain();
            }
            buf.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (!buf.hasRemaining()) {
                    drain();
                }
                int n = Math.min(len, buf.remaining());
                buf.put(b, off, n);
                off += n;
                len -= n;
            }
        }

        @Override
        public void writeChunk(byte[] header, ByteBuffer data) throws IOException {
            if (buf.remaining() < header.length) {
                drain();
            }
            buf.put(header);
            int len = data.remaining();
            if (len <= COPY_CHUNKS_UP_TO) {
                if (buf.remaining() < len) {
                    drain();
                }
                buf.put(buf.position(), data, data.position(), len).position(buf.position() + len);
                return;
            }
            buf.flip();
            try {
                pacer.beforeWrite(buf.remaining() + (long) len);
                transport.write(buf, data.duplicate());
            } finally {
                buf.clear();
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
        }

        private void drain() throws IOException {
            if (buf.position() == 0) {
                return;
            }
            buf.flip();
            try {
                pacer.beforeWrite(buf.remaining());
                transport.write(buf);
            } finally {
                buf.clear();
            }
        }
    }
}
