package dev.ferry.wire;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * A {@link Transport} over a blocking {@link SocketChannel}: a direct buffer goes to and from the kernel without a
 * copy. A channel's blocking read has no timeout of its own, so {@link ReadDeadlines} shuts down the input of a
 * read that waited too long, and that read (and every later one) fails with the {@link SocketTimeoutException} a
 * socket would throw. Writing still works: a receiver tells the silent peer why it drops it.
 */
final class ChannelTransport implements Transport {
    private final Socket socket;
    private final SocketChannel channel;
    private volatile long readTimeoutNs; // 0: none
    /** {@link System#nanoTime} after which any read in progress fails, whatever arrived; valid while hasDeadline. */
    private volatile long deadlineNs;
    private volatile boolean hasDeadline;
    /** Whether a read is in progress, and since when ({@link System#nanoTime}: any value, even negative). */
    private volatile boolean reading;
    private volatile long readingSinceNs;
    private volatile boolean timedOut;

    ChannelTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.channel = socket.getChannel();
        if (!channel.isBlocking()) {
            channel.configureBlocking(true);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (hasDeadline && System.nanoTime() - deadlineNs >= 0) {
            timedOut = true;
        }
        if (timedOut) {
            throw timeout(null);
        }
        if (readTimeoutNs > 0) {
            readingSinceNs = System.nanoTime();
            reading = true;
        }
        int n;
        try {
            n = channel.read(dst);
        } catch (AsynchronousCloseException e) {
            if (timedOut) {
                throw timeout(e);
            }
            throw e;
        } finally {
            reading = false;
        }
        if (n < 0 && timedOut) {
            throw timeout(null);
        }
        return n;
    }

    private static SocketTimeoutException timeout(Throwable cause) {
        SocketTimeoutException t = new SocketTimeoutException("Read timed out");
        t.initCause(cause);
        return t;
    }

    @Override
    public void write(ByteBuffer... srcs) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : srcs) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            remaining -= channel.write(srcs);
        }
    }

    @Override
    public void readTimeout(Duration timeout) {
        readTimeoutNs = Math.max(1, timeout.toNanos());
        ReadDeadlines.watch(this);
    }

    @Override
    public void readDeadline(Duration total) {
        if (total == null) {
            hasDeadline = false;
            return;
        }
        deadlineNs = System.nanoTime() + Math.max(1, total.toNanos());
        hasDeadline = true;
        if (readTimeoutNs == 0) {
            readTimeoutNs = Math.max(1, total.toNanos()); // (so that ReadDeadlines looks often enough)
        }
        ReadDeadlines.watch(this);
    }

    /** The shortest wait {@link ReadDeadlines} must notice: the read timeout, or the time to the deadline if nearer. */
    long readTimeoutNs() {
        long timeout = readTimeoutNs;
        if (hasDeadline) {
            timeout = Math.min(timeout, Math.max(1, deadlineNs - System.nanoTime()));
        }
        return timeout;
    }

    /** Called by {@link ReadDeadlines}: true (and the input shut down) if the read in progress is overdue. */
    boolean expireIfOverdue(long nowNs) {
        boolean pastDeadline = hasDeadline && nowNs - deadlineNs >= 0;
        if (!reading || (nowNs - readingSinceNs < readTimeoutNs && !pastDeadline)) {
            return false;
        }
        timedOut = true;
        try {
            channel.shutdownInput(); // wakes the blocked read, which then sees the end of the stream
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the reader sees the close either way
            }
        }
        return true;
    }

    @Override
    public String peer() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        ReadDeadlines.forget(this);
        channel.close();
    }
}
