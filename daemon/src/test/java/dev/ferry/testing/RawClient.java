package dev.ferry.testing;

import dev.ferry.auth.Proof;
import dev.ferry.auth.Token;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;

/** A hand-driven client for tests that need to send frames no honest sender would. */
public final class RawClient implements AutoCloseable {
    public static final byte[] NONCE = new byte[32];

    private final Socket socket;
    private final FrameChannel channel;

    public RawClient(int port) throws IOException {
        this(port, null);
    }

    /** Connected to {@code port} on 127.0.0.1 from {@code local} (another loopback address, say; null: any). */
    public RawClient(int port, InetAddress local) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port, local, 0);
        channel = new FrameChannel(socket, WireLimits.defaults());
        channel.readTimeout(Duration.ofSeconds(10));
    }

    /** Connected to {@code port} on 127.0.0.1 and through the handshake for {@code folder}; fails the test otherwise. */
    public static RawClient authenticated(int port, String folder, Token token) throws IOException {
        RawClient c = new RawClient(port);
        Frame answer = c.handshake(folder, token);
        if (!(answer instanceof Frame.Welcome)) {
            c.close();
            throw new AssertionError("handshake for folder " + folder + " answered with " + answer);
        }
        return c;
    }

    public FrameChannel channel() {
        return channel;
    }

    public Socket socket() {
        return socket;
    }

    /** HELLO, CHALLENGE, AUTH; returns the frame that answered AUTH (WELCOME or ERROR). */
    public Frame handshake(String folder, Token token) throws IOException {
        channel.send(new Frame.Hello(1, 1, folder, NONCE, "test"));
        Frame f = channel.read();
        if (!(f instanceof Frame.Challenge c)) {
            return f;
        }
        channel.send(new Frame.Auth(Proof.compute(token, NONCE, c.serverNonce(), folder)));
        return channel.read();
    }

    public Frame send(Frame f) throws IOException {
        channel.send(f);
        return channel.read();
    }

    public Frame read() throws IOException {
        return channel.read();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
