package dev.ferry.testing;

import dev.ferry.auth.Proof;
import dev.ferry.auth.Token;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

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
        if (!(answer instanceof HandshakeFrame.Welcome)) {
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
        channel.send(new HandshakeFrame.Hello(1, 1, folder, NONCE, "test"));
        Frame f = channel.read();
        if (!(f instanceof HandshakeFrame.Challenge c)) {
            return f;
        }
        channel.send(new HandshakeFrame.Auth(Proof.compute(token, NONCE, c.serverNonce(), folder)));
        return channel.read();
    }

    /**
     * HELLO offering versions {@code minVersion..maxVersion}, CHALLENGE, AUTH asking for {@code features} (sent only
     * when the receiver chose a version that has them); returns the CHALLENGE and the frame that answered AUTH.
     */
    public List<Frame> handshake(String folder, Token token, int minVersion, int maxVersion, int features) throws IOException {
        channel.send(new HandshakeFrame.Hello(minVersion, maxVersion, folder, NONCE, "test"));
        Frame f = channel.read();
        if (!(f instanceof HandshakeFrame.Challenge c)) {
            return List.of(f);
        }
        channel.send(new HandshakeFrame.Auth(Proof.compute(token, NONCE, c.serverNonce(), folder), c.version() >= 2 ? features : 0));
        return List.of(c, channel.read());
    }

    /** Writes {@code bytes} to the socket as they are: a frame no codec would write. */
    public void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
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
