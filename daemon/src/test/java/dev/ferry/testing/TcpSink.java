package dev.ferry.testing;

import dev.ferry.config.HostPort;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TCP server for tests of the network utilities: counts (and, in-JVM, may keep) what each connection sends. In
 * {@link Mode#COUNT} it answers end of stream with the connection's byte count (8 bytes, big-endian) and closes;
 * in {@link Mode#ECHO} it sends everything back.
 *
 * <p>Threads: one virtual thread accepts, one per connection reads (and echoes). As a process
 * ({@code main}: {@code --listen HOST:PORT [--echo]}) it prints {@code listening on PORT}, one line per ended
 * connection ({@code closed connection=N bytes=B} or {@code reset connection=N bytes=B}), and answers the stdin
 * command {@code stats} with {@code stats connections=C bytes=B}; the main thread reads stdin.
 */
public final class TcpSink implements AutoCloseable {
    public enum Mode { COUNT, ECHO }

    /** What one connection sent. */
    public static final class Received {
        private final int number;
        private final AtomicLong bytes = new AtomicLong();
        private final ByteArrayOutputStream kept;
        private volatile String end = "open";

        Received(int number, boolean keep) {
            this.number = number;
            this.kept = keep ? new ByteArrayOutputStream() : null;
        }

        public int number() {
            return number;
        }

        public long bytes() {
            return bytes.get();
        }

        /** "open", "closed" (end of stream) or "reset" (read failed). */
        public String end() {
            return end;
        }

        /** The bytes received, if the sink keeps them. */
        public synchronized byte[] data() {
            return kept == null ? new byte[0] : kept.toByteArray();
        }

        private synchronized void add(byte[] b, int n) {
            if (kept != null) {
                kept.write(b, 0, n);
            }
            bytes.addAndGet(n);
        }
    }

    private final ServerSocket server;
    private final Mode mode;
    private final boolean keep;
    private final Consumer<String> events;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<Integer, Socket> open = new ConcurrentHashMap<>();

    private TcpSink(InetSocketAddress listen, Mode mode, boolean keep, Consumer<String> events) throws IOException {
        this.mode = mode;
        this.keep = keep;
        this.events = events;
        this.server = new ServerSocket();
        server.bind(listen, 128);
        Thread.ofVirtual().name("sink-accept").start(this::acceptLoop);
    }

    /** A sink on 127.0.0.1, on a free port, that keeps what it receives. */
    public static TcpSink start(Mode mode) throws IOException {
        return new TcpSink(new InetSocketAddress("127.0.0.1", 0), mode, true, line -> { });
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        Mode mode = Mode.COUNT;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--listen" -> {
                    HostPort hp = HostPort.parse(args[++i]);
                    listen = new InetSocketAddress(hp.host(), hp.port());
                }
                case "--echo" -> mode = Mode.ECHO;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        PrintStream out = System.out;
        TcpSink sink = new TcpSink(listen, mode, false, line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
        sink.events.accept("listening on " + sink.port());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            sink.events.accept(line.trim().equals("stats")
                    ? "stats connections=" + sink.received.size() + " bytes=" + sink.totalBytes()
                    : "unknown command '" + line + "': stats");
        }
        Thread.currentThread().join(); // stdin closed: serve until killed
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Connections accepted so far, in order. */
    public List<Received> connections() {
        return List.copyOf(received);
    }

    /** The {@code number}-th connection (1 = the first). */
    public Received connection(int number) {
        return received.get(number - 1);
    }

    public long totalBytes() {
        return received.stream().mapToLong(Received::bytes).sum();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Received r = new Received(received.size() + 1, keep);
                received.add(r);
                open.put(r.number(), s);
                Thread.ofVirtual().name("sink-" + r.number()).start(() -> serve(s, r));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, Received r) {
        byte[] buf = new byte[64 * 1024];
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                r.add(buf, n);
                if (mode == Mode.ECHO) {
                    out.write(buf, 0, n);
                }
            }
            if (mode == Mode.COUNT) {
                new DataOutputStream(out).writeLong(r.bytes());
            }
            s.shutdownOutput();
            r.end = "closed";
        } catch (IOException e) {
            r.end = "reset";
        } finally {
            open.remove(r.number());
            events.accept(r.end + " connection=" + r.number() + " bytes=" + r.bytes());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open.values()) {
            s.close();
        }
    }
}
