package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.CHUNK;
import static dev.ferry.receive.HostileClientTest.TOKEN;
import static dev.ferry.receive.HostileClientTest.chunk;
import static dev.ferry.receive.HostileClientTest.offer;
import static dev.ferry.receive.HostileClientTest.sendFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.status.ReceiverCounters;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.ManualClock;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Receiver#status()} of a real receiver on 127.0.0.1 while a sender (a {@link RawClient}, so that the test
 * holds the transfer mid-way between two chunks) pushes into it.
 */
class ReceiverStatusTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;
    final ManualClock clock = new ManualClock();
    Receiver receiver;
    Path inbox;

    @BeforeEach
    void start() throws IOException {
        inbox = Files.createDirectories(tmp.resolve("inbox"));
        Path music = Files.createDirectories(tmp.resolve("music"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("music", music, "inbox", inbox)), clock);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    static String address(RawClient c) {
        return "127.0.0.1:" + c.socket().getLocalPort();
    }

    @Test
    void showsEachPeerWithItsFolderAndTheFileItIsReceivingWithBytesDone() throws IOException {
        byte[] content = random(3 * CHUNK + 5);
        Instant connected = clock.instant();
        try (RawClient pushing = RawClient.authenticated(receiver.address().getPort(), "inbox", TOKEN)) {
            clock.advance(Duration.ofSeconds(30));
            try (RawClient handshaking = new RawClient(receiver.address().getPort())) {
                assertThat(pushing.send(offer(1, "scans/big.bin", content))).isInstanceOf(Frame.Need.class);
                assertThat(pushing.send(chunk(1, 0, content))).isEqualTo(new Frame.Ack(1, 0));
                assertThat(pushing.send(chunk(1, 3, content))).isEqualTo(new Frame.Ack(1, 3));
                Awaitility.await().atMost(WAIT).until(() -> receiver.status().peers().size() == 2);

                ReceiverStatus s = receiver.status();
                assertThat(s.listen()).isEqualTo("127.0.0.1:" + receiver.address().getPort());
                assertThat(s.folders()).containsExactly("inbox", "music");
                assertThat(s.peers()).containsExactly(
                        new ReceiverStatus.Peer(address(pushing), "inbox", connected),
                        new ReceiverStatus.Peer(address(handshaking), null, connected.plusSeconds(30)));
                assertThat(s.transfers()).containsExactly(new ReceiverStatus.Transfer("inbox", "scans/big.bin",
                        address(pushing), content.length, CHUNK + 5));
                assertThat(s.partialsKept()).as("the partial file of the transfer in progress").isEqualTo(1);
                assertThat(s.counters()).isEqualTo(new ReceiverCounters(1, 0, 0, 0, 2, CHUNK + 5, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0));

                assertThat(pushing.send(chunk(1, 1, content))).isEqualTo(new Frame.Ack(1, 1));
                assertThat(receiver.status().transfers()).extracting(ReceiverStatus.Transfer::bytesDone)
                        .containsExactly(2L * CHUNK + 5);
                assertThat(pushing.send(chunk(1, 2, content))).isEqualTo(new Frame.Ack(1, 2));
                assertThat(pushing.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
                s = receiver.status();
                assertThat(s.transfers()).isEmpty();
                assertThat(s.partialsKept()).isZero();
                assertThat(s.counters().filesCommitted()).isEqualTo(1);
                assertThat(s.counters().bytesReceived()).isEqualTo(content.length);
            }
        }
        Awaitility.await().atMost(WAIT).until(() -> receiver.status().peers().isEmpty());
    }

    @Test
    void aDroppedTransferLeavesAPartialKeptAndItsResumeStartsWithTheBytesAlreadyHeld() throws IOException {
        byte[] content = random(4 * CHUNK);
        try (RawClient first = RawClient.authenticated(receiver.address().getPort(), "inbox", TOKEN)) {
            first.send(offer(1, "big.bin", content));
            assertThat(first.send(chunk(1, 0, content))).isEqualTo(new Frame.Ack(1, 0));
            assertThat(first.send(chunk(1, 1, content))).isEqualTo(new Frame.Ack(1, 1));
        }
        Awaitility.await().atMost(WAIT).until(() -> receiver.activeSessions() == 0);
        ReceiverStatus after = receiver.status();
        assertThat(after.peers()).isEmpty();
        assertThat(after.transfers()).isEmpty();
        assertThat(after.partialsKept()).isEqualTo(1);

        try (RawClient again = RawClient.authenticated(receiver.address().getPort(), "inbox", TOKEN)) {
            assertThat(again.send(offer(1, "big.bin", content)))
                    .isEqualTo(new Frame.Need(1, List.of(new Frame.Range(2, 2)), false, false));
            assertThat(receiver.status().transfers()).containsExactly(new ReceiverStatus.Transfer("inbox", "big.bin",
                    address(again), content.length, 2L * CHUNK));
            assertThat(receiver.status().counters().chunksResumed()).isEqualTo(2);
        }
    }

    @Test
    void countsDeletesAndRenamesCarriedOut() throws IOException {
        try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "inbox", TOKEN)) {
            sendFile(c, 1, "a.txt", random(10));
            sendFile(c, 2, "b.txt", random(20));
            assertThat(c.send(new Frame.Rename(3, "a.txt", "c.txt"))).isEqualTo(new Frame.Done(3));
            assertThat(c.send(new Frame.Delete(4, "b.txt"))).isEqualTo(new Frame.Done(4));
            assertThat(c.send(new Frame.Delete(5, "c.txt"))).isEqualTo(new Frame.Done(5));
        }
        ReceiverCounters counters = receiver.status().counters();
        assertThat(counters.deletes()).isEqualTo(2);
        assertThat(counters.renames()).isEqualTo(1);
        assertThat(counters.filesCommitted()).isEqualTo(2);
        assertThat(inbox.resolve("c.txt")).doesNotExist();
    }
}
