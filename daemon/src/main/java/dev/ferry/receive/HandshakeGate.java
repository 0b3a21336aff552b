package dev.ferry.receive;

import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The connections that have not authenticated yet: at most {@link PeerLimits#maxHandshakesPerAddress} from one IP
 * address (one more is refused at once) and {@link PeerLimits#maxHandshakes} in all. When the pool is full, a
 * newcomer takes the place of the oldest connection of the address that holds the most places, whose socket is
 * closed: a flood from many addresses keeps evicting itself, and an honest sender, one connection from its
 * address, is the last to go. A connection still here at its hard deadline is closed too, whatever it is doing
 * (a TLS handshake, a trickle of bytes): the session's own read deadline normally ends it earlier with an ERROR.
 *
 * <p>The acceptor admits, the session thread leaves ({@link Ticket#authenticated} or {@link Ticket#close}), and a
 * virtual thread of its own ({@code ferry-handshake-deadlines}) closes what is overdue; all under this object's
 * lock. Time is the receiver's clock.
 */
final class HandshakeGate implements AutoCloseable {
    /** The acceptor's answer for one socket. */
    sealed interface Admission permits Ticket, Refused {
    }

    /** Refused at once: the peer is told {@code message} (UNAVAILABLE). */
    record Refused(String message) implements Admission {
    }

    private final PeerLimits limits;
    private final long hardDeadlineNs;
    private final FerryClock clock;
    private final Map<InetAddress, ArrayDeque<Ticket>> byAddress = new HashMap<>();
    private final Thread watchdog;
    private int inHandshake;
    private long evicted;
    private long expired;
    private boolean closed;

    /** @param hardDeadline how long a connection may stay unauthenticated, whatever it does meanwhile */
    HandshakeGate(PeerLimits limits, Duration hardDeadline, FerryClock clock) {
        this.limits = limits;
        this.hardDeadlineNs = hardDeadline.toNanos();
        this.clock = clock;
        this.watchdog = Thread.ofVirtual().name("ferry-handshake-deadlines").start(this::watch);
    }

    /** Admits {@code socket} into the handshake pool (evicting another if it is full), or refuses it. */
    synchronized Admission admit(Socket socket) {
        InetAddress address = ((InetSocketAddress) socket.getRemoteSocketAddress()).getAddress();
        ArrayDeque<Ticket> mine = byAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
        if (mine.size() >= limits.maxHandshakesPerAddress()) {
            return new Refused(address.getHostAddress() + " has " + mine.size()
                    + " connections in the handshake already (at most " + limits.maxHandshakesPerAddress()
                    + " per address); retry later");
        }
        if (inHandshake >= limits.maxHandshakes()) {
            evictOneFromTheLargest();
        }
        Ticket t = new Ticket(socket, address, clock.nanoTime() + hardDeadlineNs);
        mine.addLast(t);
        inHandshake++;
        notifyAll(); // (the watchdog may be waiting with nothing to watch)
        return t;
    }

    /** Connections in the handshake now. */
    synchronized int inHandshake() {
        return inHandshake;
    }

    /** Connections closed to make room for newer ones, and closed at their hard deadline, since start. */
    synchronized long evicted() {
        return evicted;
    }

    synchronized long expired() {
        return expired;
    }

    private void evictOneFromTheLargest() {
        ArrayDeque<Ticket> largest = null;
        for (ArrayDeque<Ticket> q : byAddress.values()) {
            if (!q.isEmpty() && (largest == null || q.size() > largest.size()
                    || q.size() == largest.size() && q.peekFirst().deadlineNs - largest.peekFirst().deadlineNs < 0)) {
                largest = q;
            }
        }
        if (largest != null) {
            evicted++;
            leave(largest.peekFirst()).closeSocket();
        }
    }

    /** Takes {@code t} off the pool (if it is still there); returns it. Under the lock. */
    private Ticket leave(Ticket t) {
        ArrayDeque<Ticket> q = byAddress.get(t.address);
        if (q != null && q.remove(t)) {
            inHandshake--;
            if (q.isEmpty()) {
                byAddress.remove(t.address);
            }
        }
        return t;
    }

    private synchronized void watch() {
        while (!closed) {
            try {
                if (inHandshake == 0) {
                    wait();
                    continue;
                }
                wait(50); // (a coarse tick: the hard deadline is a backstop, honoured within 50 ms)
            } catch (InterruptedException e) {
                return;
            }
            long now = clock.nanoTime();
            for (ArrayDeque<Ticket> q : byAddress.values().toArray(ArrayDeque[]::new)) {
                while (!q.isEmpty() && now - q.peekFirst().deadlineNs >= 0) {
                    expired++;
                    leave(q.peekFirst()).closeSocket();
                }
            }
        }
    }

    /** Stops the watchdog; the sockets are the receiver's to close. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            watchdog.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection's place in the handshake pool, held from accept until it authenticates or ends. */
    final class Ticket implements Admission, AutoCloseable {
        private final Socket socket;
        private final InetAddress address;
        private final long deadlineNs;

        private Ticket(Socket socket, InetAddress address, long deadlineNs) {
            this.socket = socket;
            this.address = address;
            this.deadlineNs = deadlineNs;
        }

        /** The peer authenticated: it leaves the pool (and is no longer evicted or cut at the hard deadline). */
        void authenticated() {
            synchronized (HandshakeGate.this) {
                leave(this);
            }
        }

        /** The connection ended; leaves the pool if still in it. Idempotent. */
        @Override
        public void close() {
            synchronized (HandshakeGate.this) {
                leave(this);
            }
        }

        private void closeSocket() {
            try {
                socket.close(); // the session's blocked read fails, and its finally closes this ticket (a no-op)
            } catch (IOException ignored) {
                // closing to drop it; nothing else to do
            }
        }
    }
}
