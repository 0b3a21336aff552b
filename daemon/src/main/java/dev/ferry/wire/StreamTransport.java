package dev.ferry.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/** A {@link Transport} over a socket's streams: bytes are copied through a heap array. */
final class StreamTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** One per direction: a session reads on one thread while another writes (a shared array garbled TLS frames). */
    private final byte[] readCopy = new byte[64 * 1024];
    private final byte[] writeCopy = new byte[64 * 1024];
    /** The read timeout asked for, in ms (0: none); each read waits at most this, or until the deadline if nearer. */
    private int timeoutMs;
    private long deadlineNs;
    private boolean hasDeadline;

    StreamTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (hasDeadline) {
            long leftMs = Math.ceilDiv(deadlineNs - System.nanoTime(), 1_000_000L);
            if (leftMs <= 0) {
                throw new SocketTimeoutException("Read timed out");
            }
            socket.setSoTimeout((int) Math.min(timeoutMs == 0 ? Integer.MAX_VALUE : timeoutMs, leftMs));
        }
        if (dst.hasArray()) {
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        int n = in.read(readCopy, 0, Math.min(readCopy.length, dst.remaining()));
        if (n > 0) {
            dst.put(readCopy, 0, n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer... srcs) throws IOException {
        for (ByteBuffer src : srcs) {
            if (src.hasArray()) {
                out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
                src.position(src.limit());
                continue;
            }
            while (src.hasRemaining()) {
                int n = Math.min(writeCopy.length, src.remaining());
                src.get(writeCopy, 0, n);
                out.write(writeCopy, 0, n);
            }
        }
    }

    @Override
    public void readTimeout(Duration timeout) throws IOException {
        timeoutMs = Math.toIntExact(Math.max(1, timeout.toMillis()));
        socket.setSoTimeout(timeoutMs);
    }

    @Override
    public void readDeadline(Duration total) throws IOException {
        hasDeadline = total != null;
        if (hasDeadline) {
            deadlineNs = System.nanoTime() + Math.max(1, total.toNanos());
        } else {
            socket.setSoTimeout(timeoutMs);
        }
    }

    @Override
    public String peer() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
