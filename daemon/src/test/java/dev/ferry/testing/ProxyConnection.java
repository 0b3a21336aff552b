package dev.ferry.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection through a {@link FaultProxy} and its connection to the upstream server: two
 * {@link Pump}s. {@link #open} runs on a virtual thread of its own (it connects upstream, then starts the pumps);
 * the pumps' threads end the connection with {@link #drop}, {@link #failed} or {@link #directionEnded}; any
 * thread may {@link #kill} it. Whatever ends it first closes both sockets, exactly once.
 */
final class ProxyConnection {
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final int number;
    private final Socket client;
    private final Socket server = new Socket();
    private final ProxyCounters counters;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger directionsEnded = new AtomicInteger();
    private volatile Pump up;
    private volatile Pump down;

    ProxyConnection(int number, Socket client, ProxyCounters counters, Runnable onClose) {
        this.number = number;
        this.client = client;
        this.counters = counters;
        this.onClose = onClose;
    }

    int number() {
        return number;
    }

    /** Connects upstream and starts copying; resets the client if the upstream server cannot be reached. */
    void open(InetSocketAddress upstream, Object signal, FaultScope every, FaultScope numbered) {
        try {
            server.connect(upstream, CONNECT_TIMEOUT_MS);
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(counters.upstreamFailures);
            return;
        }
        long seed = number * 0x9E3779B97F4A7C15L;
        up = new Pump(this, Direction.UPSTREAM, client, server,
                new PumpFaults(signal, every.upstream(), numbered.upstream(), seed, counters), counters);
        down = new Pump(this, Direction.DOWNSTREAM, server, client,
                new PumpFaults(signal, every.downstream(), numbered.downstream(), seed + 1, counters), counters);
        if (closed.get()) {
            return; // killed while connecting
        }
        up.start();
        down.start();
        if (closed.get()) {
            interruptPumps();
        }
    }

    long forwarded(Direction d) {
        Pump p = d == Direction.UPSTREAM ? up : down;
        return p == null ? 0 : p.forwarded();
    }

    /** A drop fault fired: RST both sides. */
    void drop() {
        reset(counters.drops);
    }

    /** {@link FaultProxy#killAll()}: RST both sides; true if this call ended the connection. */
    boolean kill() {
        return reset(counters.kills);
    }

    /** A read or write failed (the peer reset or vanished): pass the reset on to the other side. */
    void failed() {
        reset(null);
    }

    /** One direction reached end of stream and passed it on; after both, close normally. */
    void directionEnded() {
        if (directionsEnded.incrementAndGet() == 2 && closed.compareAndSet(false, true)) {
            onClose.run();
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** {@link FaultProxy#close()}: RST both sides, counted as nothing. */
    void reset() {
        reset(null);
    }

    /**
     * Closes both sockets with SO_LINGER 0, so each peer gets an RST; false if already closed. The counters are
     * updated first, so a test that sees the RST also sees the count.
     */
    private boolean reset(AtomicLong cause) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        if (cause != null) {
            cause.incrementAndGet();
        }
        onClose.run();
        for (Socket s : new Socket[] {client, server}) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // not connected or already closed: close() below is all there is to do
            }
            closeQuietly(s);
        }
        interruptPumps();
        return true;
    }

    private void interruptPumps() {
        for (Pump p : new Pump[] {up, down}) {
            if (p != null) {
                p.interrupt();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}
