package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One direction of one proxied connection, copied by two virtual threads: the <em>reader</em> reads from
 * {@code from} and queues each read with the time it is due (now + delay); the <em>writer</em> takes reads in
 * order, waits until they are due, applies the faults (stall, drop, flips) and writes them to {@code to}. Only
 * the writer touches {@link PumpFaults} and the stream position; the queue is the only thing the two share.
 */
final class Pump {
    static final int READ_SIZE = 64 * 1024;
    static final int MAX_QUEUED_BYTES = 4 * 1024 * 1024;

    private final ProxyConnection connection;
    private final Direction direction;
    private final Socket from;
    private final Socket to;
    private final PumpFaults faults;
    private final ProxyCounters counters;
    private final TimedQueue queue = new TimedQueue(MAX_QUEUED_BYTES);
    private final AtomicLong forwarded = new AtomicLong();
    private volatile Thread reader;
    private volatile Thread writer;

    Pump(ProxyConnection connection, Direction direction, Socket from, Socket to, PumpFaults faults,
            ProxyCounters counters) {
        this.connection = connection;
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.faults = faults;
        this.counters = counters;
    }

    void start() {
        String name = "proxy-" + connection.number() + "-" + (direction == Direction.UPSTREAM ? "up" : "down");
        reader = Thread.ofVirtual().name(name + "-read").start(this::readLoop);
        writer = Thread.ofVirtual().name(name + "-write").start(this::writeLoop);
    }

    /** Wakes both threads out of any wait; called once the sockets are closed. */
    void interrupt() {
        for (Thread t : new Thread[] {reader, writer}) {
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }
    }

    long forwarded() {
        return forwarded.get();
    }

    private void readLoop() {
        byte[] buf = new byte[READ_SIZE];
        try {
            InputStream in = from.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    long due = System.nanoTime() + faults.delay().toNanos();
                    queue.put(Arrays.copyOf(buf, n), due);
                }
            }
            queue.end();
        } catch (IOException e) {
            connection.failed();
        } catch (InterruptedException e) {
            // the connection was closed
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = to.getOutputStream();
            if (!checkpoint(false)) {
                return;
            }
            while (true) {
                TimedQueue.Item item = queue.take();
                if (item.isEnd()) {
                    to.shutdownOutput();
                    connection.directionEnded();
                    return;
                }
                sleepUntil(item.dueNanos());
                boolean alive = forward(item.data(), out);
                queue.done(item);
                if (!alive) {
                    return;
                }
            }
        } catch (IOException e) {
            connection.failed();
        } catch (InterruptedException e) {
            // the connection was closed
        }
    }

    /** Writes {@code data} in pieces that end at each drop or stall mark; false once the connection is dropped. */
    private boolean forward(byte[] data, OutputStream out) throws IOException, InterruptedException {
        int off = 0;
        while (off < data.length) {
            if (!checkpoint(true)) {
                return false;
            }
            long pos = forwarded.get();
            int n = (int) Math.min(data.length - off, faults.nextMark(pos) - pos);
            int flips = faults.flip(data, off, n, pos);
            out.write(data, off, n);
            off += n;
            forwarded.addAndGet(n);
            counters.forwarded(direction, n, flips);
        }
        return checkpoint(false);
    }

    /**
     * Waits out stalls at the current position (a {@link Faults#stall()} only holds a stream with data to write;
     * a reached stall mark holds it anyway), then drops the connection if that is due; false if dropped.
     */
    private boolean checkpoint(boolean dataWaiting) throws InterruptedException {
        faults.awaitGo(forwarded.get(), dataWaiting);
        if (faults.dropDue(forwarded.get())) {
            connection.drop();
            return false;
        }
        return true;
    }

    private static void sleepUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
