package dev.ferry.status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads and writes on a Unix domain {@link SocketChannel} under one deadline for the whole exchange: such a channel
 * has no {@code SO_TIMEOUT}, so it is switched to non-blocking mode and waited on with a {@link Selector}. One per
 * connection, used by one thread; closing the channel is the caller's.
 */
final class DeadlineIo {
    private final SocketChannel channel;
    private final long deadlineNs;
    private final Duration timeout;

    DeadlineIo(SocketChannel channel, Duration timeout) throws IOException {
        this.channel = channel;
        this.timeout = timeout;
        this.deadlineNs = System.nanoTime() + timeout.toNanos();
        channel.configureBlocking(false);
    }

    /**
     * One line without its {@code \n}; null if the peer closed first, sent {@code max} bytes without a newline, or
     * the deadline passed. Reads byte by byte past the newline never: nothing after it is consumed.
     */
    String readLine(int max) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < max) {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                return null;
            }
            if (n == 0) {
                if (!await(SelectionKey.OP_READ)) {
                    return null;
                }
                continue;
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return null;
    }

    /** Everything until the peer closes, at most {@code max} bytes. */
    byte[] readAll(int max) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                return all.toByteArray();
            }
            if (n == 0) {
                if (!await(SelectionKey.OP_READ)) {
                    throw new SocketTimeoutException("no complete answer within " + timeout.toMillis() + " ms");
                }
                continue;
            }
            if (all.size() + n > max) {
                throw new IOException("answer longer than " + max + " bytes");
            }
            all.write(buf.array(), 0, n);
        }
    }

    /** Writes all of {@code data}, or throws when the deadline passes first. */
    void writeAll(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (channel.write(data) == 0 && !await(SelectionKey.OP_WRITE)) {
                throw new SocketTimeoutException("peer took no data for " + timeout.toMillis() + " ms");
            }
        }
    }

    /** Waits until the channel is ready for {@code op}; false at the deadline. */
    private boolean await(int op) throws IOException {
        long left = deadlineNs - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        try (Selector selector = Selector.open()) {
            channel.register(selector, op);
            return selector.select(Math.max(1, left / 1_000_000)) > 0;
        }
    }
}
