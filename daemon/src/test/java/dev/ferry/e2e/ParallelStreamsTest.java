package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.auth.Token;
import dev.ferry.push.DigestCache;
import dev.ferry.push.PushException;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.push.TransferListener;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Parallel streams end to end: one big file's chunks over several connections to a real receiver on 127.0.0.1,
 * with {@link Pusher#run}'s {@code streams}; a stream cut mid-file; peers that do not speak them.
 */
class ParallelStreamsTest extends LoopbackReceiverTest {
    static final Token TOKEN = Token.of("parallel-streams-token-0123456789");
    static final int CHUNK = 64 * 1024;

    ParallelStreamsTest() {
        super(TOKEN, "f");
    }

    PushSettings settings(int port) {
        return Loopback.pushSettings(port, "f", TOKEN).withChunkSize(CHUNK);
    }

    PushResult push(Path file, int port, int streams) throws IOException {
        return Pusher.run(Pusher.plan(file, false, ""), settings(port), DigestCache.NONE, TransferListener.NONE, streams);
    }

    @Test
    void aStreamedBigFileSplitOverThreeConnectionsArrivesIdenticalWithChunksOnEach() throws IOException {
        Path big = Trees.randomFile(source.resolve("big.bin"), 192 * CHUNK - 1000, 11); // 12 MiB: streamed, 192 chunks

        PushResult r = push(big, receiver.address().getPort(), 3);

        assertThat(r.ok()).as(r.failures().toString()).isTrue();
        assertThat(Files.mismatch(big, target.resolve("big.bin"))).isEqualTo(-1);
        assertThat(r.chunksSent()).isEqualTo(192);
        assertThat(receiver.stats().streamsJoined()).as("two connections joined the file").isEqualTo(2);
        assertThat(receiver.stats().snapshot().chunksJoined()).as("a third of the chunks each").isEqualTo(128);
        assertThat(receiver.stats().snapshot().chunksReceived()).isEqualTo(192);
        assertThat(Trees.list(target.resolve(".ferry/partial"))).as("no partial left behind").isEmpty();
    }

    @Test
    void aHashedBigFileSplitOverThreeConnectionsArrivesIdentical() throws IOException {
        Path big = Trees.randomFile(source.resolve("hashed.bin"), 97 * CHUNK - 5, 12); // under 8 MiB: hashed, 97 chunks

        PushResult r = push(big, receiver.address().getPort(), 3);

        assertThat(r.ok()).as(r.failures().toString()).isTrue();
        assertThat(Files.mismatch(big, target.resolve("hashed.bin"))).isEqualTo(-1);
        assertThat(receiver.stats().streamsJoined()).isEqualTo(2);
        assertThat(receiver.stats().snapshot().chunksJoined()).as("33 + 31 of 97: the first connection keeps the first 33").isEqualTo(64);
    }

    @Test
    void aSmallFileIsNotSplit() throws IOException {
        Path small = Trees.randomFile(source.resolve("small.bin"), 63 * CHUNK, 13); // 63 chunks: under the threshold

        PushResult r = push(small, receiver.address().getPort(), 4);

        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target);
        assertThat(receiver.stats().streamsJoined()).isZero();
        assertThat(receiver.stats().snapshot().connectionsAccepted()).as("no other connection opened").isEqualTo(1);
    }

    @Test
    void aStreamCutMidFileHandsItsChunksBackAndTheFileStillArrivesIdentical() throws IOException {
        Path big = Trees.randomFile(source.resolve("big.bin"), 192 * CHUNK, 14);
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            // connection 1 offers the file; 2 and 3 are the stripes: whichever opens first is cut after ~1 MiB
            proxy.onConnection(2).upstream().dropAfterBytes(1 << 20);

            PushResult r = push(big, proxy.port(), 3);

            assertThat(r.ok()).as(r.failures().toString()).isTrue();
        }
        assertThat(Files.mismatch(big, target.resolve("big.bin"))).isEqualTo(-1);
        assertThat(receiver.stats().streamsJoined()).isEqualTo(2);
        assertThat(receiver.stats().snapshot().chunksJoined()).as("the cut stream wrote some, the other all of its 64")
                .isGreaterThanOrEqualTo(64).isLessThan(128);
        assertThat(Trees.list(target.resolve(".ferry/partial"))).isEmpty();
    }

    @Test
    void theOfferingConnectionLostMidFileFailsThePushAndTheNextOneResumesFromWhatEveryStreamWrote() throws Exception {
        Path big = Trees.randomFile(source.resolve("big.bin"), 192 * CHUNK, 16);
        AtomicInteger acked = new AtomicInteger();
        TransferListener counting = new TransferListener() {
            @Override
            public void acked(dev.ferry.push.SourceEntry file, int index) {
                acked.incrementAndGet();
            }
        };
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            proxy.onConnection(1).upstream().stallAfterBytes(1 << 20); // (the first connection offers the file)
            CompletableFuture<PushResult> push = CompletableFuture.supplyAsync(() -> {
                try {
                    return Pusher.run(Pusher.plan(big, false, ""), settings(proxy.port()), DigestCache.NONE, counting, 3);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> acked.get() >= 128); // (both stripes ACKed: durable)
            proxy.killAll();

            assertThatThrownBy(() -> push.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.status().transfers().isEmpty());

        PushResult again = push(big, receiver.address().getPort(), 3);

        assertThat(again.ok()).as(again.failures().toString()).isTrue();
        assertThat(Files.mismatch(big, target.resolve("big.bin"))).isEqualTo(-1);
        long resumed = receiver.stats().snapshot().chunksResumed();
        assertThat(resumed).as("the two stripes' chunks, and what the first connection got through").isGreaterThanOrEqualTo(128);
        assertThat(again.chunksSent()).isEqualTo(192 - resumed);
    }

    @Test
    void aVersion1ReceiverGetsOneConnectionAndNoShare() throws Exception {
        assertOneConnectionWithoutStreams(1, 0);
    }

    @Test
    void aVersion2ReceiverThatDoesNotKnowStreamsGetsOneConnectionAndNoShare() throws Exception {
        assertOneConnectionWithoutStreams(2, 0);
    }

    /** A fake receiver of {@code version} granting {@code granted}: one hashed file of 64 chunks, every frame read. */
    private void assertOneConnectionWithoutStreams(int version, int granted) throws Exception {
        Path file = Trees.randomFile(source.resolve("f.bin"), 64 * CHUNK, 15);
        List<Frame> seen = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> fakeReceiver(server, version, granted, seen));

            PushResult r = push(file, server.getLocalPort(), 4);

            fake.get(20, TimeUnit.SECONDS);
            assertThat(r.ok()).as(r.failures().toString()).isTrue();
            server.setSoTimeout(300);
            assertThat(acceptsAnother(server)).as("no second connection").isFalse();
        }
        HandshakeFrame.Auth auth = (HandshakeFrame.Auth) seen.get(1);
        assertThat(auth.features()).isEqualTo(version == 1 ? 0 : Protocol.FEATURE_STREAMS);
        assertThat(seen).noneMatch(f -> f instanceof Frame.Share || f instanceof Frame.Join);
        assertThat(seen.stream().filter(f -> f instanceof Frame.Chunk).count()).isEqualTo(64);
    }

    private static boolean acceptsAnother(ServerSocket server) {
        try (Socket s = server.accept()) {
            return s != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void fakeReceiver(ServerSocket server, int version, int granted, List<Frame> seen) {
        try (Socket s = server.accept(); FrameChannel ch = new FrameChannel(s, WireLimits.defaults())) {
            ch.readTimeout(Duration.ofSeconds(10));
            seen.add(ch.read()); // HELLO
            ch.send(new HandshakeFrame.Challenge(version, new byte[32]));
            seen.add(ch.read()); // AUTH
            ch.send(new HandshakeFrame.Welcome(WireLimits.DEFAULT_MAX_CHUNK, 1L << 40, granted));
            Frame.Offer offer = (Frame.Offer) ch.read();
            seen.add(offer);
            ch.send(new Frame.Need(offer.fileId(), List.of(new Frame.Range(0, offer.chunkCount())), false, false));
            for (int i = 0; i < offer.chunkCount(); i++) {
                Frame.Chunk c = (Frame.Chunk) ch.read();
                seen.add(c);
                ch.send(new Frame.Ack(offer.fileId(), c.index()));
            }
            seen.add(ch.read()); // COMMIT
            ch.send(new Frame.Done(offer.fileId()));
            seen.add(ch.read()); // BYE
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
