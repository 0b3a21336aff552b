package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two {@link FrameChannel}s over a real loopback socket pair: once over NIO socket channels (the transport ferry
 * uses: direct buffers, read deadlines enforced by {@link ReadDeadlines}) and once over plain sockets' streams
 * (the transport a TLS socket will use).
 */
@ParameterizedClass(name = "nio={0}")
@ValueSource(booleans = {true, false})
class FrameChannelTest {
    @Parameter
    boolean nio;

    /** Upper bound for any read that should succeed: a deadline against a hung test, never waited out. */
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private ServerSocket server;
    private FrameChannel client;
    private FrameChannel accepted;

    @BeforeEach
    void connect() throws IOException {
        server = nio ? ServerSocketChannel.open().socket() : new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        server.setSoTimeout(Math.toIntExact(DEADLINE.toMillis()));
        Socket clientSocket = nio ? SocketChannel.open().socket() : new Socket();
        clientSocket.connect(server.getLocalSocketAddress());
        Socket acceptedSocket = server.accept();
        assertThat(acceptedSocket.getChannel() != null).isEqualTo(nio);
        client = new FrameChannel(clientSocket, WireLimits.defaults());
        accepted = new FrameChannel(acceptedSocket, WireLimits.defaults());
        client.readTimeout(DEADLINE);
        accepted.readTimeout(DEADLINE);
    }

    @AfterEach
    void close() throws IOException {
        IOException failure = null;
        for (AutoCloseableIo c : List.<AutoCloseableIo>of(client::close, accepted::close, server::close)) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void framesSentOnOneSideArriveInOrderOnTheOther() throws IOException {
        List<Frame> frames = List.of(
                new HandshakeFrame.Hello(1, 1, "photos", new byte[32], "ferry/test"),
                new Frame.Offer(1, EntryKind.FILE, "a.txt", 5, 0, 0, 0644, 4096, HashAlgorithm.XXH3_128,
                        new byte[16], 1, new byte[16]),
                new Frame.Chunk(1, 0, 0xabcdef, "hello".getBytes(), 0, 5),
                new Frame.Commit(1),
                new Frame.Bye());

        for (Frame f : frames) {
            client.write(f);
        }
        client.flush();

        for (Frame f : frames) {
            assertThat(accepted.read()).isEqualTo(f);
        }
    }

    @Test
    void sendFlushesSoTheAnswerArrives() throws IOException {
        client.send(new Frame.Ping(17));
        assertThat(accepted.read()).isEqualTo(new Frame.Ping(17));

        accepted.send(new Frame.Pong(17));
        assertThat(client.read()).isEqualTo(new Frame.Pong(17));
    }

    @Test
    void pooledChunksStayValidAfterTheNextRead() throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(2, 1024);
        accepted.chunkBuffers(pool);
        byte[] a = {1, 2, 3};
        byte[] b = {4, 5, 6, 7};
        client.write(new Frame.Chunk(1, 0, 11, a, 0, a.length));
        client.write(new Frame.Chunk(1, 1, 22, b, 0, b.length));
        client.send(new Frame.Commit(1));

        Frame.Chunk first = (Frame.Chunk) accepted.read();
        Frame.Chunk second = (Frame.Chunk) accepted.read();

        assertThat(first).isEqualTo(new Frame.Chunk(1, 0, 11, a, 0, a.length));
        assertThat(second).isEqualTo(new Frame.Chunk(1, 1, 22, b, 0, b.length));
        assertThat(first.data()).isNotSameAs(second.data());
        pool.give(first.data());
        pool.give(second.data());
        assertThat(accepted.read()).isEqualTo(new Frame.Commit(1));
    }

    @Test
    void writesFromSeveralThreadsNeverInterleaveWithinAFrame() throws Exception {
        int threads = 4;
        int perThread = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int fileId = t + 1;
            writers.add(Thread.ofVirtual().start(() -> {
                try {
                    assertThat(start.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    byte[] data = filled(1000, fileId);
                    for (int i = 0; i < perThread; i++) {
                        client.write(new Frame.Chunk(fileId, i, i, data, 0, data.length));
                    }
                    client.flush();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();

        int[] nextIndex = new int[threads + 1];
        for (int n = 0; n < threads * perThread; n++) {
            Frame.Chunk chunk = (Frame.Chunk) accepted.read();
            assertThat(chunk.index()).as("chunks of file %d in order", chunk.fileId()).isEqualTo(nextIndex[chunk.fileId()]++);
            assertThat(chunk.bytes())
                    .as("data of chunk %d of file %d", chunk.index(), chunk.fileId())
                    .isEqualTo(filled(1000, chunk.fileId()));
        }
        for (Thread w : writers) {
            assertThat(w.join(DEADLINE)).isTrue();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void silentPeerMakesReadTimeOut() throws IOException {
        accepted.readTimeout(Duration.ofMillis(200));

        long start = System.nanoTime();
        assertThatThrownBy(accepted::read).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    @org.junit.jupiter.api.Timeout(10) // pool.take() below would wait for ever if the buffer were lost
    void peerStallingInTheMiddleOfAChunkMakesReadTimeOut() throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(1, 1 << 20);
        // a CHUNK header announcing 1 MiB, then only 100 bytes of it
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(Protocol.HEADER_LENGTH + Protocol.CHUNK_HEADER_LENGTH + 100);
        frame.putInt(1 + Protocol.CHUNK_HEADER_LENGTH + (1 << 20)).put(FrameType.CHUNK).putInt(1).putInt(0).putInt(1 << 20).putInt(0);
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             FrameChannel other = new FrameChannel(server.accept(), WireLimits.defaults())) {
            other.chunkBuffers(pool);
            other.readTimeout(Duration.ofMillis(300));
            raw.getOutputStream().write(frame.array());
            raw.getOutputStream().flush();

            assertThatThrownBy(other::read).isInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
            assertThat(pool.take(10).capacity()).as("the buffer went back to the pool").isEqualTo(1 << 20);
        }
    }

    @Test
    void bigChunksFromDirectBuffersArriveIntactBetweenSmallFrames() throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(4, 1 << 20);
        accepted.chunkBuffers(pool);
        java.util.Random random = new java.util.Random(3);
        int[] sizes = {1 << 20, 1, 16 * 1024, 16 * 1024 + 1, 200_000, (1 << 20) - 7, 65_536};
        List<byte[]> sent = new ArrayList<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(1 << 20);
                for (int i = 0; i < sizes.length; i++) {
                    byte[] data = new byte[sizes[i]];
                    random.nextBytes(data);
                    synchronized (sent) {
                        sent.add(data);
                    }
                    direct.clear().put(data).flip();
                    client.write(new Frame.Chunk(1, i, i, direct));
                    assertThat(direct.position()).as("the sender's buffer is left alone").isZero();
                    client.write(new Frame.Ping(i));
                }
                client.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        for (int i = 0; i < sizes.length; i++) {
            Frame.Chunk c = (Frame.Chunk) accepted.read();
            assertThat(c.index()).isEqualTo(i);
            assertThat(c.data().isDirect()).isTrue();
            synchronized (sent) {
                assertThat(c.bytes()).as("chunk %d of %d bytes", i, sizes[i]).isEqualTo(sent.get(i));
            }
            pool.give(c.data());
            assertThat(accepted.read()).isEqualTo(new Frame.Ping(i));
        }
        assertThat(writer.join(DEADLINE)).isTrue();
    }

    @Test
    void closedPeerMakesReadThrowPeerClosed() throws IOException {
        client.close();

        assertThatThrownBy(accepted::read).isInstanceOf(PeerClosedException.class);
        assertThat(client.isClosed()).isTrue();
        assertThat(accepted.isClosed()).isFalse();
    }

    @Test
    void closeFlushesBufferedFramesFirst() throws IOException {
        client.write(new Frame.Error(ErrorCode.UNAVAILABLE, 0, "shutting down"));
        client.close();

        assertThat(accepted.read()).isEqualTo(new Frame.Error(ErrorCode.UNAVAILABLE, 0, "shutting down"));
        assertThatThrownBy(accepted::read).isInstanceOf(PeerClosedException.class);
    }

    @Test
    void peerClosingMidFrameIsAProtocolError() throws IOException {
        // a raw socket that sends half of a frame, then closes
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             FrameChannel other = new FrameChannel(server.accept(), WireLimits.defaults())) {
            other.readTimeout(DEADLINE);
            raw.getOutputStream().write(new byte[] {0, 0, 0, 9, FrameType.ACK, 0, 0});
            raw.close();

            assertThatThrownBy(other::read)
                    .isExactlyInstanceOf(PeerClosedException.class)
                    .hasMessage("truncated frame: type 0x14 payload got 2 of 8 bytes");
        }
    }

    @Test
    void reportsPeerAddressAndLimits() {
        assertThat(accepted.peer()).startsWith("127.0.0.1:");
        assertThat(client.peer()).isEqualTo("127.0.0.1:" + server.getLocalPort());
        assertThat(client.limits()).isEqualTo(WireLimits.defaults());
    }

    @Test
    void closeTwiceIsHarmless() throws IOException {
        client.close();
        client.close();

        assertThat(client.isClosed()).isTrue();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @FunctionalInterface
    private interface AutoCloseableIo {
        void close() throws IOException;
    }
}
