package dev.ferry.status;

import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix domain socket that answers {@code ferry status}. Never a network port.
 *
 * <p>Wire format, one exchange per connection: the client writes one line, {@code status\n} (at most
 * {@value #MAX_REQUEST} bytes with its newline); the server answers with the snapshot as one line of JSON
 * ({@link StatusJson}), or {@code {"error":"..."}} for a request it does not know (or a snapshot that could not
 * be taken), and closes. A client that sends
 * more than that without a newline, or nothing within {@link #DEADLINE}, is cut off.
 *
 * <p>Thread: one virtual thread ({@code ferry-control}) accepts and serves each connection in turn; a request is
 * a few bytes and the answer a snapshot the supplier builds at once, so one thread is enough, and a client that
 * stalls holds the next one back by {@link #DEADLINE} at most. The daemon's threads never wait for it. I/O
 * deadlines are wall time, as a socket timeout is (no {@code FerryClock} in this leaf package).
 *
 * <p>The socket file is the owner's only (0600): it is bound under a temporary name, restricted, then renamed into
 * place, so it is never reachable with looser rights; a missing parent directory is created 0700. A socket file
 * left by a killed daemon (nothing accepts on it) is replaced; one a live daemon answers on is an error. {@link
 * #close} removes the file if it is still the one this server bound.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** The one request. */
    public static final String REQUEST = "status";
    /** The answer while the supplier has no snapshot yet (returns null). */
    static final String STARTING = "the daemon is starting (its first scan of the sources is not done); try again shortly";
    /** Longest request line, newline included. */
    static final int MAX_REQUEST = 64;
    /** How long one connection may take to send its request and take the answer. */
    static final Duration DEADLINE = Duration.ofSeconds(1);

    private final Path path;
    private final Object fileKey;
    private final ServerSocketChannel server;
    private final Supplier<DaemonStatus> status;
    private final Thread thread;
    private volatile boolean closing;

    private ControlServer(Path path, Object fileKey, ServerSocketChannel server, Supplier<DaemonStatus> status) {
        this.path = path;
        this.fileKey = fileKey;
        this.server = server;
        this.status = status;
        this.thread = Thread.ofVirtual().name("ferry-control").unstarted(this::acceptLoop);
    }

    /**
     * Binds {@code socket} (replacing a stale one) and starts answering with what {@code status} returns (null
     * while there is nothing to report yet: the answer then says the daemon is starting).
     *
     * @throws InUse       if another process answers there
     * @throws IOException  if the path holds something that is not a socket, or it cannot be bound
     */
    public static ControlServer start(Path socket, Supplier<DaemonStatus> status) throws IOException {
        Objects.requireNonNull(status, "status");
        Path path = socket.toAbsolutePath();
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        refuseLiveOrForeign(path);
        Path temp = dir.resolve(path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(temp);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(temp));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            ControlServer c = new ControlServer(path, key, server, status);
            c.thread.start();
            log.info("control socket at {}", path);
            return c;
        } catch (IOException | RuntimeException e) {
            server.close();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("cannot open the control socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** Where it listens. */
    public Path path() {
        return path;
    }

    private static void refuseLiveOrForeign(Path path) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isOther()) {
            throw new IOException("cannot open the control socket " + path + ": it exists and is not a socket; move it away");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new InUse(path);
        } catch (SocketException refused) {
            log.info("replacing the stale control socket {} (nothing answers there: {})", path, refused.getMessage());
        }
    }

    private void acceptLoop() {
        while (!closing) {
            try (SocketChannel client = server.accept()) {
                serve(client);
            } catch (ClosedChannelException e) {
                return; // closed: the loop ends
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                log.debug("control connection ended: {}", e.toString());
            } catch (RuntimeException e) {
                log.error("control request failed", e);
            }
        }
    }

    private void serve(SocketChannel client) throws IOException {
        DeadlineIo io = new DeadlineIo(client, DEADLINE);
        String request = io.readLine(MAX_REQUEST);
        if (request == null) {
            log.debug("control client sent no request line within {} or {} bytes; cut off", DEADLINE, MAX_REQUEST);
            return;
        }
        String answer;
        if (!request.equals(REQUEST)) {
            answer = StatusJson.error("unknown request; send '" + REQUEST + "'");
        } else {
            try {
                DaemonStatus now = status.get();
                answer = now == null ? StatusJson.error(STARTING) : StatusJson.write(now);
            } catch (RuntimeException e) {
                log.error("cannot take the status for a control request", e);
                answer = StatusJson.error("the daemon could not take its status: " + e);
            }
        }
        io.writeAll(ByteBuffer.wrap((answer + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** Another process answers on the socket path: two daemons must not share one (nor, then, their state). */
    public static final class InUse extends IOException {
        private static final long serialVersionUID = 1L;

        InUse(Path path) {
            super("another ferry daemon answers at " + path + "; stop it first, or give this one another state-dir");
        }
    }

    /** Stops answering and removes the socket file (if it is still the one bound here). Waits up to 2 s. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing the control socket: {}", e.toString());
        }
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.debug("control socket {} not removed: {}", path, e.toString());
        }
        try {
            if (!thread.join(Duration.ofSeconds(2))) {
                log.warn("control socket thread still running after 2s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
