package dev.ferry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between a sender and a receiver that injects faults: drop a connection after n bytes, stall, flip
 * bytes, add one-way delay, refuse or kill connections. Faults are set at any time, per {@link Direction}, for every
 * connection ({@link #everyConnection()}, {@link #upstream()}, {@link #downstream()}) or only the n-th accepted one
 * ({@link #onConnection(int)}); see {@link Faults} for what each does.
 *
 * <p>Threads: one virtual thread accepts; each accepted connection gets one that connects upstream, then each of
 * its two directions is copied by a reader and a writer virtual thread (see {@link Pump}). Counters
 * ({@link #stats()}) are exact. {@link #close()} resets every connection and ends every thread.
 *
 * <p>Also runs as a process of its own ({@link #main}, see {@link FaultProxyMain}), e.g. inside a network namespace.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final Object signal = new Object();
    private final FaultScope every = new FaultScope(signal);
    private final Map<Integer, FaultScope> numbered = new ConcurrentHashMap<>();
    private final Map<Integer, ProxyConnection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final ProxyCounters counters = new ProxyCounters();
    private final Thread acceptor;
    private volatile boolean refusing;

    /** A proxy on 127.0.0.1, on a free port, in front of {@code upstream}. */
    public FaultProxy(InetSocketAddress upstream) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream);
    }

    /** A proxy listening on {@code listen} (port 0: a free one) in front of {@code upstream}. */
    public FaultProxy(InetSocketAddress listen, InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 128);
        this.acceptor = Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public static void main(String[] args) throws Exception {
        FaultProxyMain.main(args);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Faults applied to every connection. */
    public FaultScope everyConnection() {
        return every;
    }

    /** Client → server faults for every connection. */
    public Faults upstream() {
        return every.upstream();
    }

    /** Server → client faults for every connection. */
    public Faults downstream() {
        return every.downstream();
    }

    /** Faults applied only to the {@code number}-th accepted connection (1 = the first), on top of the others. */
    public FaultScope onConnection(int number) {
        if (number < 1) {
            throw new IllegalArgumentException("connection number=" + number + " must be >= 1 (1 = the first)");
        }
        return numbered.computeIfAbsent(number, n -> new FaultScope(signal));
    }

    /** Inverts the byte at {@code offset} of the first connection's client→server stream. */
    public FaultProxy flipByteAt(long offset) {
        onConnection(1).upstream().flipByteAt(offset);
        return this;
    }

    /** Resets every connection once it has forwarded {@code n} bytes client → server. */
    public FaultProxy dropAfterBytes(long n) {
        upstream().dropAfterBytes(n);
        return this;
    }

    /** Holds every connection's client → server stream once it has forwarded {@code n} bytes. */
    public FaultProxy stallAfterBytes(long n) {
        upstream().stallAfterBytes(n);
        return this;
    }

    /** Stalls both directions of every connection. */
    public FaultProxy stall() {
        every.stall();
        return this;
    }

    /** Resumes everything stalled, in every scope and direction. */
    public FaultProxy resume() {
        every.resume();
        numbered.values().forEach(FaultScope::resume);
        return this;
    }

    /** Delays both directions of every connection by {@code oneWay} each. */
    public FaultProxy delay(Duration oneWay) {
        every.delay(oneWay);
        return this;
    }

    /** While true, each new connection is accepted and reset at once (the client sees "connection reset"). */
    public FaultProxy refuseConnections(boolean refuse) {
        this.refusing = refuse;
        return this;
    }

    /** Resets every open connection now; returns how many. */
    public int killAll() {
        int killed = 0;
        for (ProxyConnection c : connections.values()) {
            if (c.kill()) {
                killed++;
            }
        }
        return killed;
    }

    public ProxyStats stats() {
        return counters.snapshot();
    }

    /** Bytes the {@code number}-th connection forwarded in direction {@code d} (0 if there is no such connection). */
    public long bytesForwarded(int number, Direction d) {
        ProxyConnection c = connections.get(number);
        return c == null ? 0 : c.forwarded(d);
    }

    /** How many connections were accepted so far (the number of the latest). */
    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (refusing) {
                counters.refused.incrementAndGet();
                resetQuietly(client);
                continue;
            }
            int number = accepted.incrementAndGet();
            counters.accepted.incrementAndGet();
            counters.open.incrementAndGet();
            FaultScope scope = onConnection(number);
            ProxyConnection c = new ProxyConnection(number, client, counters, () -> counters.open.decrementAndGet());
            connections.put(number, c);
            Thread.ofVirtual().name("proxy-" + number + "-open").start(() -> c.open(upstream, signal, every, scope));
        }
    }

    private static void resetQuietly(Socket s) {
        try (s) {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting, waits up to 5 s for the acceptor, then resets every connection (not counted as kills). */
    @Override
    public void close() throws IOException {
        try {
            server.close();
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.values().forEach(ProxyConnection::reset);
        }
    }
}
