package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FaultProxy between a test client and an in-JVM {@link TcpSink}; every count asserted is exact. */
class FaultProxyTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    FaultProxy proxyTo(TcpSink.Mode mode) throws IOException {
        TcpSink sink = closing(TcpSink.start(mode));
        return closing(new FaultProxy(sink.address()));
    }

    TcpSink sinkOf(FaultProxy proxy) {
        return closeables.stream().filter(c -> c instanceof TcpSink).map(c -> (TcpSink) c).findFirst().orElseThrow();
    }

    Socket connect(FaultProxy proxy) throws IOException {
        Socket s = closing(new Socket("127.0.0.1", proxy.port()));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Sends {@code data}, half-closes, returns the count the COUNT sink answers. */
    static long sendAndAck(Socket s, byte[] data) throws IOException {
        s.getOutputStream().write(data);
        s.shutdownOutput();
        return new DataInputStream(s.getInputStream()).readLong();
    }

    /** Reads until end of stream or an error; returns how many bytes came before it. */
    static long drain(Socket s) {
        long n = 0;
        byte[] buf = new byte[8192];
        try {
            InputStream in = s.getInputStream();
            int r;
            while ((r = in.read(buf)) >= 0) {
                n += r;
            }
        } catch (IOException e) {
            // reset: what came before it is what counts
        }
        return n;
    }

    @Test
    void forwardsBothDirectionsUnchangedAndCountsEveryByte() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.ECHO);
        byte[] data = random(1 << 20, 1);
        Socket s = connect(proxy);

        Thread.ofVirtual().start(() -> {
            try {
                s.getOutputStream().write(data);
                s.shutdownOutput();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] echoed = s.getInputStream().readAllBytes();

        assertThat(echoed).isEqualTo(data);
        await().atMost(WAIT).until(() -> proxy.stats().open() == 0);
        ProxyStats st = proxy.stats();
        assertThat(st.accepted()).isEqualTo(1);
        assertThat(st.bytesUp()).isEqualTo(1 << 20);
        assertThat(st.bytesDown()).isEqualTo(1 << 20);
        assertThat(st.faultsInjected()).isZero();
        assertThat(proxy.bytesForwarded(1, Direction.UPSTREAM)).isEqualTo(1 << 20);
    }

    @Test
    void dropAfterBytesForwardsExactlyNThenResetsBothSides() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        proxy.upstream().dropAfterBytes(1000);
        Socket s = connect(proxy);

        assertThatThrownBy(() -> sendAndAck(s, random(5000, 2))).isInstanceOf(IOException.class);

        TcpSink sink = sinkOf(proxy);
        await().atMost(WAIT).until(() -> sink.connections().size() == 1 && sink.connection(1).end().equals("reset"));
        assertThat(sink.connection(1).bytes()).isEqualTo(1000);
        assertThat(sink.connection(1).data()).isEqualTo(java.util.Arrays.copyOf(random(5000, 2), 1000));
        ProxyStats st = proxy.stats();
        assertThat(st.drops()).isEqualTo(1);
        assertThat(st.bytesUp()).isEqualTo(1000);
        assertThat(st.open()).isZero();
    }

    @Test
    void dropAfterBytesServerToClientCutsTheAnswer() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.ECHO);
        proxy.downstream().dropAfterBytes(300);
        Socket s = connect(proxy);

        s.getOutputStream().write(random(1000, 3));
        long received = drain(s);

        assertThat(received).isEqualTo(300);
        assertThat(proxy.stats().drops()).isEqualTo(1);
        assertThat(proxy.bytesForwarded(1, Direction.DOWNSTREAM)).isEqualTo(300);
    }

    @Test
    void faultOnTheNthConnectionLeavesTheOthersAlone() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        proxy.onConnection(2).upstream().dropAfterBytes(0);

        long first = sendAndAck(connect(proxy), random(100, 4));
        Socket second = connect(proxy);
        assertThatThrownBy(() -> sendAndAck(second, random(100, 4))).isInstanceOf(IOException.class);
        long third = sendAndAck(connect(proxy), random(100, 4));

        assertThat(first).isEqualTo(100);
        assertThat(third).isEqualTo(100);
        assertThat(proxy.stats().accepted()).isEqualTo(3);
        assertThat(proxy.stats().drops()).isEqualTo(1);
        assertThat(proxy.bytesForwarded(2, Direction.UPSTREAM)).isZero();
    }

    @Test
    void stallHoldsDataWithTheConnectionOpenUntilResumed() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        TcpSink sink = sinkOf(proxy);
        proxy.stall();
        Socket s = connect(proxy);

        s.getOutputStream().write(random(1000, 5));
        await().atMost(WAIT).until(() -> proxy.stats().heldNow() == 1);

        assertThat(sink.totalBytes()).isZero();
        assertThat(proxy.stats().open()).isEqualTo(1);
        proxy.resume();
        assertThat(sendAndAck(s, new byte[0])).isEqualTo(1000);
        assertThat(proxy.stats().heldNow()).isZero();
    }

    @Test
    void stallAfterBytesForwardsExactlyNThenHoldsTheRest() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        TcpSink sink = sinkOf(proxy);
        proxy.stallAfterBytes(300);
        Socket s = connect(proxy);

        s.getOutputStream().write(random(1000, 6));
        await().atMost(WAIT).until(() -> proxy.stats().heldNow() == 1);

        assertThat(proxy.bytesForwarded(1, Direction.UPSTREAM)).isEqualTo(300);
        await().atMost(WAIT).until(() -> sink.totalBytes() == 300);
        assertThat(proxy.stats().stallsHit()).isEqualTo(1);
        proxy.resume();
        assertThat(sendAndAck(s, new byte[0])).isEqualTo(1000);
        assertThat(proxy.stats().stallsHit()).isEqualTo(1);
    }

    @Test
    void flipEveryKInvertsExactlyTheBytesAtMultiplesOfK() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        proxy.upstream().flipEvery(100);
        byte[] sent = random(1000, 7);

        assertThat(sendAndAck(connect(proxy), sent)).isEqualTo(1000);

        byte[] got = sinkOf(proxy).connection(1).data();
        assertThat(damaged(sent, got)).containsExactly(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L);
        assertThat(proxy.stats().flipsUp()).isEqualTo(9);
    }

    @Test
    void randomFlipsDamageTheSameOffsetsForTheSameSeed() throws Exception {
        byte[] sent = random(1 << 20, 8);
        List<List<Long>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
            proxy.upstream().flipRandomly(0.001, 42);
            sendAndAck(connect(proxy), sent);
            List<Long> offsets = damaged(sent, sinkOf(proxy).connection(1).data());
            assertThat((long) offsets.size()).isEqualTo(proxy.stats().flipsUp());
            runs.add(offsets);
            closeAll();
            closeables.clear();
        }
        assertThat(runs.get(0)).hasSizeBetween(700, 1400).isEqualTo(runs.get(1));
    }

    @Test
    void flipByteAtDamagesOnlyTheFirstConnection() throws IOException {
        TcpSink sink = closing(TcpSink.start(TcpSink.Mode.COUNT));
        FaultProxy proxy = closing(new FaultProxy(sink.address()).flipByteAt(10));
        byte[] sent = random(100, 9);

        sendAndAck(connect(proxy), sent);
        sendAndAck(connect(proxy), sent);

        assertThat(damaged(sent, sink.connection(1).data())).containsExactly(10L);
        assertThat(sink.connection(2).data()).isEqualTo(sent);
        assertThat(proxy.stats().flipsUp()).isEqualTo(1);
    }

    @Test
    void delayHoldsEachReadButDoesNotCapThroughput() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        proxy.delay(Duration.ofMillis(50));
        Socket s = connect(proxy);
        byte[] data = random(16 << 20, 10);

        long start = System.nanoTime();
        long acked = sendAndAck(s, data);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(acked).isEqualTo(16 << 20);
        // data waits 50 ms up, the answer 50 ms down; one read at a time would take 256 x 50 ms = 12.8 s
        assertThat(took).isBetween(Duration.ofMillis(100), Duration.ofSeconds(6));
    }

    @Test
    void refusedConnectionsAreResetUntilAllowedAgain() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        proxy.refuseConnections(true);

        Socket refused = connect(proxy);
        assertThat(drain(refused)).isZero();
        proxy.refuseConnections(false);
        long acked = sendAndAck(connect(proxy), random(10, 11));

        assertThat(acked).isEqualTo(10);
        assertThat(proxy.stats().refused()).isEqualTo(1);
        assertThat(proxy.stats().accepted()).isEqualTo(1);
    }

    @Test
    void killAllResetsEveryOpenConnectionNow() throws IOException {
        FaultProxy proxy = proxyTo(TcpSink.Mode.COUNT);
        Socket a = connect(proxy);
        Socket b = connect(proxy);
        a.getOutputStream().write(1);
        b.getOutputStream().write(2);
        await().atMost(WAIT).until(() -> proxy.stats().bytesUp() == 2);

        assertThat(proxy.killAll()).isEqualTo(2);

        assertThatThrownBy(() -> a.getInputStream().read()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> b.getInputStream().read()).isInstanceOf(IOException.class);
        assertThat(proxy.stats().kills()).isEqualTo(2);
        assertThat(proxy.stats().open()).isZero();
    }

    @Test
    void unreachableUpstreamResetsTheClient() throws IOException {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        FaultProxy proxy = closing(new FaultProxy(new InetSocketAddress("127.0.0.1", closedPort)));

        assertThat(drain(connect(proxy))).isZero();
        await().atMost(WAIT).until(() -> proxy.stats().upstreamFailures() == 1);
        assertThat(proxy.stats().open()).isZero();
    }

    /** Offsets where {@code got} holds the inverse of {@code sent}; fails on any other difference. */
    static List<Long> damaged(byte[] sent, byte[] got) {
        assertThat(got).hasSameSizeAs(sent);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < sent.length; i++) {
            if (got[i] != sent[i]) {
                assertThat(got[i]).as("byte %d", i).isEqualTo((byte) ~sent[i]);
                offsets.add((long) i);
            }
        }
        return offsets;
    }
}
