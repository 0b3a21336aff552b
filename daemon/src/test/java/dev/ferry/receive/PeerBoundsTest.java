package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.TOKEN;
import static dev.ferry.receive.HostileClientTest.chunk;
import static dev.ferry.receive.HostileClientTest.offer;
import static dev.ferry.receive.HostileClientTest.sendFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.PeerClosedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a peer may make a receiver hold, each at its limit and one past it: connections in the handshake (per
 * address, in all, and for how long in total), files in flight, chunks per file, and bytes of chunk hashes.
 */
class PeerBoundsTest {
    static final int CHUNK = HostileClientTest.CHUNK;

    @TempDir
    Path tmp;
    Receiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(PeerLimits limits, Duration handshake) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("target"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target))
                .withTimeouts(handshake, Duration.ofSeconds(10)), FerryClock.system(), limits);
    }

    private int port() {
        return receiver.address().getPort();
    }

    private static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    @Test
    void theNinthConnectionInTheHandshakeFromOneAddressIsRefusedAtOnce() throws IOException {
        start(PeerLimits.defaults(), Duration.ofSeconds(10));
        List<RawClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                idle.add(new RawClient(port(), loopback(1)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.handshakesInProgress() == 8);
            try (RawClient ninth = new RawClient(port(), loopback(1))) {
                assertThat(ninth.read()).isEqualTo(new Frame.Error(ErrorCode.UNAVAILABLE, 0,
                        "127.0.0.1 has 8 connections in the handshake already (at most 8 per address); retry later"));
            }
            try (RawClient sameAddress = new RawClient(port(), loopback(1))) { // an honest sender there waits too
                assertThat(sameAddress.handshake("f", TOKEN)).isEqualTo(new Frame.Error(ErrorCode.UNAVAILABLE, 0,
                        "127.0.0.1 has 8 connections in the handshake already (at most 8 per address); retry later"));
            }
            RawClient fromElsewhere = new RawClient(port(), loopback(2));
            assertThat(fromElsewhere.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
            fromElsewhere.close();
        } finally {
            for (RawClient c : idle) {
                c.close();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.handshakesInProgress() == 0);
        try (RawClient again = RawClient.authenticated(port(), "f", TOKEN)) {
            sendFile(again, 1, "after.bin", new byte[100]);
        }
        assertThat(receiver.stats().snapshot().connectionsRejected()).isEqualTo(2);
    }

    @Test
    void aTrickleOfBytesIsCutAtTheHandshakeDeadlineNotAtEachRead() throws Exception {
        start(PeerLimits.defaults(), Duration.ofMillis(600));
        byte[] hello = ByteBuffer.allocate(64).putInt(60).put((byte) 0x01).putInt(0x46525259).array();
        try (RawClient slow = new RawClient(port())) {
            OutputStream out = slow.socket().getOutputStream();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : hello) { // one byte every 100 ms: each read gets a byte well within 600 ms
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off: what this test expects
                }
            });
            long start = System.nanoTime();
            Frame answer = slow.read();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer).isEqualTo(new Frame.Error(ErrorCode.TIMEOUT, 0, "handshake not completed within 600ms"));
            assertThat(tookMs).as("cut at the 600 ms deadline, not after the 6.4 s the trickle takes").isBetween(500L, 1500L);
            trickle.interrupt();
            trickle.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFullHandshakePoolMakesRoomByClosingTheOldestOfTheAddressHoldingTheMost() throws IOException {
        start(PeerLimits.defaults().withHandshakes(4, 8), Duration.ofSeconds(10));
        List<RawClient> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                flood.add(new RawClient(port(), loopback(2)));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.handshakesInProgress() == flood.size());
            }
            for (int i = 0; i < 3; i++) {
                flood.add(new RawClient(port(), loopback(3)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.handshakesInProgress() == 7);
            flood.add(new RawClient(port(), loopback(4)));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.handshakesInProgress() == 8);

            try (RawClient honest = new RawClient(port(), loopback(5))) {
                assertThat(honest.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
                sendFile(honest, 1, "honest.bin", new byte[1000]);
            }
            // 127.0.0.2 held the most (4): its oldest connection made the room
            assertThatThrownBy(flood.get(0)::read).isInstanceOfAny(PeerClosedException.class, SocketException.class);
            assertThat(receiver.handshakesInProgress()).isEqualTo(7);
        } finally {
            for (RawClient c : flood) {
                c.close();
            }
        }
    }

    @Test
    void filesInFlightAtTheLimitAreServedAndOneMoreIsBusy() throws IOException {
        start(PeerLimits.defaults().withFiles(2, PeerLimits.DEFAULT_CHUNKS_PER_FILE, 1 << 20), Duration.ofSeconds(10));
        byte[] content = new byte[3 * CHUNK];
        try (RawClient c = RawClient.authenticated(port(), "f", TOKEN)) {
            assertThat(c.send(offer(1, "a.bin", content))).isInstanceOf(Frame.Need.class);
            assertThat(c.send(offer(2, "b.bin", content))).isInstanceOf(Frame.Need.class);
            assertThat(c.send(offer(3, "c.bin", content))).isEqualTo(new Frame.Error(ErrorCode.BUSY, 3,
                    "this connection has 2 files in flight, the most this receiver takes; offer more when some are done"));
            for (int i = 0; i < 3; i++) {
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
            sendFile(c, 4, "c.bin", content); // one finished: room for another
        }
    }

    @Test
    void aFileOfTheMostChunksIsServedAndOneChunkMoreIsTooLarge() throws IOException {
        start(PeerLimits.defaults().withFiles(8, 4, 1 << 20), Duration.ofSeconds(10));
        try (RawClient c = RawClient.authenticated(port(), "f", TOKEN)) {
            sendFile(c, 1, "empty.bin", new byte[0]);
            sendFile(c, 2, "four.bin", new byte[4 * CHUNK]);
            assertThat(c.send(offer(3, "five.bin", new byte[4 * CHUNK + 1]))).isEqualTo(new Frame.Error(ErrorCode.TOO_LARGE, 3,
                    "'five.bin' has 5 chunks, this receiver takes at most 4 per file; use a larger chunk size"));
        }
        assertThat(Files.exists(tmp.resolve("target/five.bin"))).isFalse();
    }

    @Test
    void theHashBudgetRefusesAnOfferThatWouldPassItUntilAFileEnds() throws IOException {
        long oneFile = HashBudget.cost(4, 16); // 4 chunks of xxh3-128: 128 bytes held
        start(PeerLimits.defaults().withFiles(8, 16, oneFile), Duration.ofSeconds(10));
        byte[] content = new byte[4 * CHUNK];
        try (RawClient a = RawClient.authenticated(port(), "f", TOKEN);
             RawClient b = RawClient.authenticated(port(), "f", TOKEN)) {
            assertThat(a.send(offer(1, "a.bin", content))).isInstanceOf(Frame.Need.class);
            assertThat(b.send(offer(1, "b.bin", content))).isEqualTo(new Frame.Error(ErrorCode.BUSY, 1,
                    "'b.bin' needs 128 bytes of chunk hashes, and the receiver holds 128 of at most 128 for files in flight;"
                            + " retry later"));
            sendFile(b, 2, "small.bin", new byte[0]); // no chunks, no hashes: fits
            for (int i = 0; i < 4; i++) {
                assertThat(a.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(a.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
            sendFile(b, 3, "b.bin", content);
            assertThat(a.send(offer(2, "c.bin", content))).isInstanceOf(Frame.Need.class);
        }
        // the session that held c.bin's hashes ended: they came back
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.hashBytesHeld() == 0);
    }

    @Test
    void aFileOfEqualChunksOverTheSameFileCostsOnePassNotOnePerPair() throws IOException {
        // rsync 3.5.0's "quadratic behaviour on equal checksums": ferry compares chunk i with chunk i, never looks a
        // hash up among others, so 256 equal chunks over 256 equal chunks are 256 comparisons
        start(PeerLimits.defaults(), Duration.ofSeconds(10));
        byte[] zeros = new byte[256 * CHUNK];
        try (RawClient c = RawClient.authenticated(port(), "f", TOKEN)) {
            sendFile(c, 1, "zeros.bin", zeros);
            long begin = System.nanoTime();
            assertThat(c.send(offer(2, "zeros.bin", zeros))).isEqualTo(new Frame.Need(2, List.of(), false, true));
            assertThat((System.nanoTime() - begin) / 1_000_000).as("ms to find the file unchanged").isLessThan(5_000);
            assertThat(c.send(new Frame.Commit(2))).isEqualTo(new Frame.Done(2));
        }
    }

    @Test
    void aHelloTooBigForTheHandshakeIsRefusedBeforeItIsRead() throws IOException {
        start(PeerLimits.defaults(), Duration.ofSeconds(10));
        try (RawClient c = new RawClient(port())) {
            OutputStream out = c.socket().getOutputStream();
            out.write(ByteBuffer.allocate(5).putInt(4097).put((byte) 0x01).array());
            out.flush();
            assertThat(c.read()).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0, "frame length=4097 > max=4096 (type 0x01)"));
        }
        try (RawClient c = new RawClient(port())) {
            assertThat(c.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
        }
    }
}
