package dev.ferry.receive;

import dev.ferry.auth.FolderAccess;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.FrameCodec;
import dev.ferry.wire.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for senders and serves each connection on its own virtual thread. The accept loop runs on one virtual
 * thread too and never waits for a peer: it admits each socket into the {@link HandshakeGate} (a pool of its own
 * for connections that have not authenticated, with a cap per IP address) or tells it UNAVAILABLE and closes it.
 * A session takes one of the {@code maxConnections} session permits when its peer has authenticated, and its
 * {@code finally} gives it back; while every permit is taken, a new connection is refused at once. So idle or
 * half-open connections, from any number of addresses, never take an authenticated sender's place.
 *
 * <p>{@link #start} binds or fails (nothing left running); {@link #close} stops accepting, closes every session's
 * socket, and waits for the session threads up to one deadline.
 */
public final class Receiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Receiver.class);

    private final ReceiverSettings settings;
    private final ServerSocket server;
    private final Semaphore permits;
    private final ReceiverStats stats = new ReceiverStats();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    private final OpenConnections connections = new OpenConnections();
    private final ReceiverShared shared;
    private final HandshakeGate handshakes;
    private final Refusals refusals;
    private final Thread acceptor;
    private final TransportGate gate;
    private volatile boolean closing;

    private Receiver(ReceiverSettings settings, ServerSocket server, FerryClock clock, PeerLimits limits,
                     TransportGate gate) {
        this.settings = settings;
        this.server = server;
        this.gate = gate;
        this.shared = new ReceiverShared(settings, stats, new PathLocks(), new StateTidier(settings, clock), clock,
                new AuthFailures(), limits, new HashBudget(limits.maxHashBytes()), new ChunkIndexes(clock),
                new SharedFiles());
        this.permits = new Semaphore(settings.maxConnections());
        // the session's own read deadline ends a slow handshake with an ERROR; this one cuts whatever outlives it
        this.handshakes = new HandshakeGate(limits, settings.handshakeTimeout().multipliedBy(2), clock);
        this.refusals = new Refusals(clock);
        this.acceptor = Thread.ofVirtual().name("ferry-accept").unstarted(this::acceptLoop);
    }

    /** Checks the folders, binds the listening socket and starts accepting, on the system clock. */
    public static Receiver start(ReceiverSettings settings) throws IOException {
        return start(settings, FerryClock.system());
    }

    /**
     * Checks the folders, binds the listening socket and starts accepting.
     *
     * @param clock decides the heartbeat, the tidying of {@code .ferry/}, trash days and partial files' ages
     */
    public static Receiver start(ReceiverSettings settings, FerryClock clock) throws IOException {
        return start(settings, clock, PeerLimits.defaults());
    }

    /** As {@link #start(ReceiverSettings, FerryClock)}, with other {@link PeerLimits} (tests). */
    static Receiver start(ReceiverSettings settings, FerryClock clock, PeerLimits limits) throws IOException {
        for (Map.Entry<String, Path> folder : settings.folders().entrySet()) {
            if (!Files.isDirectory(folder.getValue())) {
                throw new IOException("folder '" + folder.getKey() + "' at " + folder.getValue() + " is not a directory");
            }
        }
        TransportGate gate = new TransportGate(settings); // (sets up TLS: fails before the port is taken)
        ServerSocket server = ServerSocketChannel.open().socket();
        try {
            server.setReuseAddress(true);
            server.bind(settings.listen(), 128);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + settings.listen() + ": " + e.getMessage(), e);
        }
        if (settings.identity().isPresent()) {
            for (String name : settings.folders().keySet()) {
                FolderAccess access = settings.accessTo(name);
                if (access.allowed().isEmpty() && access.token().isEmpty()) {
                    log.warn("folder '{}' accepts nobody: it allows no IDs and no token opens it (add allow: [ID] to"
                            + " it, or --allow {}=ID)", name, name);
                }
            }
        }
        Receiver r = new Receiver(settings, server, clock, limits, gate);
        r.acceptor.start();
        log.info("receiver listening on {} folders={} durability={} transport={}", r.address(), settings.folders().keySet(),
                settings.fsync() ? "fsync" : "none", gate.encrypted() ? "tls id=" + settings.identity().get().id()
                        : "plaintext");
        return r;
    }

    /** The bound address (the real port when started with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public ReceiverStats stats() {
        return stats;
    }

    /**
     * What this receiver is doing now: its address and folders, the connections open (with the folder each
     * authenticated for), the files being received, the partial files under each folder's {@code .ferry/partial}
     * (those of transfers in progress included; one directory listing per folder and call), and its counters.
     * Any thread.
     */
    public ReceiverStatus status() {
        InetSocketAddress a = address();
        return new ReceiverStatus(hostPort(a), settings.folders().keySet().stream().sorted().toList(), connections.peers(),
                connections.transfers(), partialsKept(), stats.counters());
    }

    private long partialsKept() {
        return settings.folders().values().stream().mapToLong(PartialPaths::count).sum();
    }

    /** {@code ip:port}, an IPv6 address in brackets. */
    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Connections accepted that have not authenticated (nor ended) yet. */
    int handshakesInProgress() {
        return handshakes.inHandshake();
    }

    /** Connections closed to make room in a full handshake pool, since start. */
    long evictedHandshakes() {
        return handshakes.evicted();
    }

    /** Bytes of chunk hashes the sessions hold for their files in flight. */
    long hashBytesHeld() {
        return shared.hashBudget().held();
    }

    /** Sessions running now (each holds a connection permit). */
    public int activeSessions() {
        return sessions.size();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    log.error("accept failed, receiver stops accepting: {}", e.toString());
                }
                return;
            }
            if (permits.availablePermits() == 0) {
                refuse(socket, "receiver is at its limit of " + settings.maxConnections() + " connections; retry later");
                continue;
            }
            HandshakeGate.Ticket ticket;
            switch (handshakes.admit(socket)) {
                case HandshakeGate.Refused r -> {
                    refuse(socket, r.message());
                    continue;
                }
                case HandshakeGate.Ticket t -> ticket = t;
            }
            open.add(socket);
            Thread t = Thread.ofVirtual().name("ferry-session-" + socket.getPort()).unstarted(() -> serve(socket, ticket));
            sessions.add(t);
            t.start();
        }
    }

    /** The one place a connection's socket, handshake place and session permit are released, whatever happens. */
    private void serve(Socket socket, HandshakeGate.Ticket ticket) {
        String peer = hostPort((InetSocketAddress) socket.getRemoteSocketAddress());
        Admitted admitted = new Admitted(ticket);
        try (socket; ticket; OpenConnections.Connection connection = connections.open(peer, shared.clock().instant())) {
            TransportGate.Opened opened = gate.open(socket); // the TLS handshake, if any, inside the handshake pool
            try (FrameChannel channel = new FrameChannel(opened.framed(), settings.limits(), opened.readAhead())) {
                new ReceiverSession(channel, shared, admitted.reportingTo(connection), opened.peer()).run();
            }
        } catch (TransportGate.Mismatch e) {
            shared.authFailures().mismatch(peer, e.getMessage());
        } catch (IOException e) {
            log.debug("closing peer={}: {}", peer, e.toString());
        } catch (RuntimeException | Error e) {
            log.error("session with peer={} failed", peer, e);
        } finally {
            open.remove(socket);
            if (admitted.holdsPermit) {
                permits.release();
            }
            sessions.remove(Thread.currentThread());
        }
    }

    /**
     * One connection's way from the handshake pool to a session permit: when the session reports its peer
     * authenticated, the connection leaves the pool and takes a permit, or (all taken meanwhile) the session ends
     * with UNAVAILABLE. Belongs to the session's thread.
     */
    private final class Admitted {
        private final HandshakeGate.Ticket ticket;
        private boolean holdsPermit;

        Admitted(HandshakeGate.Ticket ticket) {
            this.ticket = ticket;
        }

        SessionReport reportingTo(OpenConnections.Connection connection) {
            return new SessionReport() {
                @Override
                public void authenticated(String folder, String peerId) throws ProtocolException {
                    ticket.authenticated();
                    if (!permits.tryAcquire()) {
                        stats.connectionsRejected.incrementAndGet();
                        throw new ProtocolException(ErrorCode.UNAVAILABLE, "receiver is at its limit of "
                                + settings.maxConnections() + " connections; retry later");
                    }
                    holdsPermit = true;
                    connection.authenticated(folder, peerId);
                }

                @Override
                public void receiving(int fileId, String path, long size) {
                    connection.receiving(fileId, path, size);
                }

                @Override
                public void progress(int fileId, long bytesDone) {
                    connection.progress(fileId, bytesDone);
                }

                @Override
                public void ended(int fileId) {
                    connection.ended(fileId);
                }
            };
        }
    }

    /**
     * Tells the peer why and closes it, from the acceptor's thread: one small write with a 1 s deadline (the kernel's
     * socket buffer takes it at once), no buffers of a session's size. Counted, and logged at most once a minute.
     */
    private void refuse(Socket socket, String message) {
        stats.connectionsRejected.incrementAndGet();
        refusals.refused(socket.getRemoteSocketAddress(), message);
        try (socket) {
            socket.setSoTimeout(1000);
            ByteArrayOutputStream frame = new ByteArrayOutputStream(message.length() + 16);
            new FrameCodec(settings.limits()).write(frame, new Frame.Error(ErrorCode.UNAVAILABLE, 0, message));
            socket.getOutputStream().write(frame.toByteArray());
        } catch (IOException e) {
            log.debug("could not tell peer it was refused: {}", e.toString());
        }
    }

    /** Stops accepting, closes every connection, and waits up to 5 s for the session threads to finish. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** As {@link #close()}, waiting up to {@code grace} (on the receiver's clock). */
    public void close(Duration grace) {
        close(shared.clock().deadlineIn(grace));
    }

    /**
     * Stops accepting, closes every connection, and waits for the session threads until {@code deadline}: the one
     * shutdown deadline of whoever stops this receiver with other parts.
     */
    public void close(Deadline deadline) {
        if (closing) {
            return;
        }
        closing = true;
        handshakes.close();
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing listener: {}", e.toString());
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing session socket: {}", e.toString());
            }
        }
        try {
            deadline.join(acceptor);
            for (Thread t : sessions) {
                if (!deadline.join(t)) {
                    log.warn("session thread {} still running at the shutdown deadline", t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("receiver on {} stopped", settings.listen());
    }
}
