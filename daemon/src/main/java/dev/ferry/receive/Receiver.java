package dev.ferry.receive;

import dev.ferry.auth.FolderAccess;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
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
 * thread too; it takes a connection permit for every accepted socket and the session's {@code finally} gives it
 * back, so at most {@code maxConnections} sessions run at once. One more is told UNAVAILABLE and closed.
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
    private final Thread acceptor;
    private final TransportGate gate;
    private volatile boolean closing;

    private Receiver(ReceiverSettings settings, ServerSocket server, FerryClock clock, TransportGate gate) {
        this.settings = settings;
        this.server = server;
        this.gate = gate;
        this.shared = new ReceiverShared(settings, stats, new PathLocks(), new StateTidier(settings, clock), clock,
                new AuthFailures());
        this.permits = new Semaphore(settings.maxConnections());
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
        Receiver r = new Receiver(settings, server, clock, gate);
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
            if (!permits.tryAcquire()) {
                stats.connectionsRejected.incrementAndGet();
                log.warn("refusing peer={}: at the limit of {} connections", socket.getRemoteSocketAddress(), settings.maxConnections());
                refuse(socket, "receiver is at its limit of " + settings.maxConnections() + " connections; retry later");
                continue;
            }
            open.add(socket);
            Thread t = Thread.ofVirtual().name("ferry-session-" + socket.getPort()).unstarted(() -> serve(socket));
            sessions.add(t);
            t.start();
        }
    }

    /** The one place a connection's socket and permit are released, whatever happens in the session. */
    private void serve(Socket socket) {
        String peer = hostPort((InetSocketAddress) socket.getRemoteSocketAddress());
        try (socket; OpenConnections.Connection connection = connections.open(peer, shared.clock().instant())) {
            TransportGate.Opened opened = gate.open(socket);
            try (FrameChannel channel = new FrameChannel(opened.framed(), settings.limits(), opened.readAhead())) {
                new ReceiverSession(channel, shared, connection, opened.peer()).run();
            }
        } catch (TransportGate.Mismatch e) {
            shared.authFailures().mismatch(peer, e.getMessage());
        } catch (IOException e) {
            log.debug("closing peer={}: {}", socket.getRemoteSocketAddress(), e.toString());
        } catch (RuntimeException | Error e) {
            log.error("session with peer={} failed", socket.getRemoteSocketAddress(), e);
        } finally {
            open.remove(socket);
            permits.release();
            sessions.remove(Thread.currentThread());
        }
    }

    private void refuse(Socket socket, String message) {
        try (socket; FrameChannel channel = new FrameChannel(socket, settings.limits())) {
            socket.setSoTimeout(1000);
            channel.send(new Frame.Error(ErrorCode.UNAVAILABLE, 0, message));
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
