package dev.ferry.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection's frame streams over a {@link Socket} (a plain one today; an {@code SSLSocket} plugs in
 * unchanged). Reading belongs to one thread; writes may come from several and are serialized by a lock, so a
 * frame is never interleaved with another. Writes are buffered: call {@link #flush()} (or {@link #send}) before
 * waiting for an answer.
 */
public final class FrameChannel implements Closeable {
    private static final int BUFFER = 128 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameCodec reader;
    private final FrameCodec writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final String peer;

    public FrameChannel(Socket socket, WireLimits limits) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        this.reader = new FrameCodec(limits);
        this.writer = new FrameCodec(limits);
        this.peer = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** Blocks until a frame arrives or the read deadline ({@link #readTimeout}) passes. */
    private volatile long lastWriteNs = System.nanoTime();

    public Frame read() throws IOException {
        return reader.read(in);
    }

    public void write(Frame frame) throws IOException {
        writeLock.lock();
        try {
            writer.write(out, frame);
            lastWriteNs = System.nanoTime();
        } finally {
            writeLock.unlock();
        }
    }

    public void flush() throws IOException {
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** When a frame was last written ({@link System#nanoTime}); for keep-alives. */
    public long lastWriteNs() {
        return lastWriteNs;
    }

    /** Writes and flushes. */
    public void send(Frame frame) throws IOException {
        writeLock.lock();
        try {
            writer.write(out, frame);
            lastWriteNs = System.nanoTime();
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Every later {@link #read()} fails with a {@link java.net.SocketTimeoutException} after this long without data. */
    public void readTimeout(Duration timeout) throws SocketException {
        socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
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
        return peer;
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Flushes what it can, then closes the socket; a failing flush does not keep the socket open. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        if (!socket.isClosed() && writeLock.tryLock()) {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
            } finally {
                writeLock.unlock();
            }
        }
        try {
            socket.close();
        } catch (IOException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
    }
}
