package dev.ferry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a sender and a receiver that can damage the sender→receiver stream: flip one
 * byte at a given offset of the first connection. Each direction of each connection is copied by its own virtual
 * thread; {@link #close()} ends them all.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private volatile long flipAtOffset = -1;

    public FaultProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Inverts the bits of the byte at {@code offset} of the first connection's client→server stream. */
    public FaultProxy flipByteAt(long offset) {
        this.flipAtOffset = offset;
        return this;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket up = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(up);
                boolean first = connections.getAndIncrement() == 0;
                Thread.ofVirtual().start(() -> pump(client, up, first ? flipAtOffset : -1));
                Thread.ofVirtual().start(() -> pump(up, client, -1));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to, long flipAt) {
        byte[] buf = new byte[64 * 1024];
        long position = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (flipAt >= position && flipAt < position + n) {
                    int i = (int) (flipAt - position);
                    buf[i] = (byte) ~buf[i];
                }
                position += n;
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side closed: close the other below
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
