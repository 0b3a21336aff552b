package dev.ferry.wire;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * The byte pipe under a {@link FrameChannel}. A socket opened through NIO ({@link Socket#getChannel()} set) moves
 * bytes straight between the kernel and (direct) buffers; any other socket (a plain {@code new Socket()}, an
 * {@code SSLSocket}) goes through its streams with a copy.
 */
public sealed interface Transport extends Closeable permits ChannelTransport, StreamTransport {

    static Transport of(Socket socket) throws IOException {
        // (a TLS socket layered over a channel's socket answers getChannel() with that channel: bytes read from it
        // would be TLS records)
        return socket.getChannel() != null && !(socket instanceof SSLSocket) ? new ChannelTransport(socket)
                : new StreamTransport(socket);
    }

    /**
     * Reads at least one byte into {@code dst} (which must have room), blocking until some arrive. Returns -1 at the
     * end of the stream.
     *
     * @throws java.net.SocketTimeoutException after {@link #readTimeout} without a byte
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes every remaining byte of {@code srcs}, in order. */
    void write(ByteBuffer... srcs) throws IOException;

    /** Later reads fail with a {@link java.net.SocketTimeoutException} when nothing arrives for this long. */
    void readTimeout(Duration timeout) throws IOException;

    /**
     * Later reads also fail with a {@link java.net.SocketTimeoutException} once {@code total} has passed from now,
     * however the bytes trickle in: the whole of a handshake gets one deadline, not one per read. {@code null}
     * removes it.
     */
    void readDeadline(Duration total) throws IOException;

    /** "address:port" of the other end, for logs. */
    String peer();

    boolean isClosed();
}
