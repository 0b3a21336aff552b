package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.ferry.auth.Proof;
import dev.ferry.auth.Token;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Compression;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.WireLimits;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression negotiated at the handshake, end to end against a real receiver on 127.0.0.1: both ends on (fewer
 * bytes on the wire, the tree identical), the sender off, a version-1 receiver (raw chunks, the push works), a
 * version-1 sender (version-1 frames back), random data (raw, chunk by chunk), and hostile compressed chunks
 * (refused with a clear ERROR; the receiver keeps serving).
 */
class CompressionTest {
    static final Token TOKEN = Token.of("compression-test-token-0123456789");
    static final LinkShaping ZSTD = LinkShaping.of(Compression.zstd(3), 0, FerryClock.system());

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        source = Files.createDirectories(tmp.resolve("src"));
        target = Files.createDirectories(tmp.resolve("dst"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    PushSettings settings() {
        return Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN);
    }

    /** Text in several shapes: one chunk, many chunks, a streamed file (8 MiB and up), a tiny one, a directory. */
    long writeTextTree() throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; log.length() < 9 << 20; i++) {
            log.append("2026-12-06T14:").append(i % 60).append(" INFO ferry pushed file-").append(i).append(".txt to nas\n");
        }
        Files.writeString(source.resolve("big.log"), log); // 9 MiB: streamed
        Files.writeString(source.resolve("middle.txt"), log.substring(0, 3 << 20)); // 3 chunks
        Files.createDirectories(source.resolve("docs"));
        Files.writeString(source.resolve("docs/readme.md"), "# ferry\n".repeat(5000));
        Files.writeString(source.resolve("docs/tiny.txt"), "hi\n");
        long total = 0;
        for (String f : List.of("big.log", "middle.txt", "docs/readme.md", "docs/tiny.txt")) {
            total += Files.size(source.resolve(f));
        }
        return total;
    }

    @Test
    void bothEndsOnACompressibleTreeArrivesIdenticalWithFewerBytesOnTheWire() throws IOException {
        long raw = writeTextTree();

        PushResult r = Pusher.push(source, true, "", settings().withShaping(ZSTD));

        assertThat(r.ok()).as(r.failures().toString()).isTrue();
        Trees.assertIdentical(source, target);
        assertThat(r.bytesSent()).isEqualTo(raw);
        assertThat(r.wireBytes()).isPositive().isLessThan(raw / 5);
    }

    @Test
    void senderOffSendsEveryByteRaw() throws IOException {
        long raw = writeTextTree();

        PushResult r = Pusher.push(source, true, "", settings());

        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target);
        assertThat(r.bytesSent()).isEqualTo(raw);
        assertThat(r.wireBytes()).isEqualTo(raw);
    }

    @Test
    void randomDataGoesRawChunkByChunkNextToTextThatShrinks() throws IOException {
        Trees.randomFile(source.resolve("random.bin"), 3 << 20, 7);
        Trees.randomFile(source.resolve("small-random.bin"), 1000, 8);

        PushResult r = Pusher.push(source, true, "", settings().withShaping(ZSTD));

        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target);
        assertThat(r.bytesSent()).isEqualTo((3 << 20) + 1000);
        assertThat(r.wireBytes()).as("no random chunk went compressed").isEqualTo(r.bytesSent());

        Files.writeString(source.resolve("text.txt"), "all work and no play ".repeat(10_000));
        PushResult mixed = Pusher.push(source, true, "", settings().withShaping(ZSTD));
        assertThat(mixed.bytesSent()).as("only the new file").isEqualTo(210_000);
        assertThat(mixed.wireBytes()).isLessThan(2_000);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aVersion1ReceiverGetsRawChunksAndThePushWorks() throws Exception {
        byte[] text = "text a version-1 receiver reads raw\n".repeat(2000).getBytes(StandardCharsets.UTF_8);
        Files.write(source.resolve("a.txt"), text);
        List<Frame> seen = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> version1Receiver(server, seen));
            PushSettings settings = Loopback.pushSettings(server.getLocalPort(), "f", TOKEN).withShaping(ZSTD);

            PushResult r = Pusher.push(source.resolve("a.txt"), false, "", settings);

            fake.get(10, TimeUnit.SECONDS);
            assertThat(r.ok()).as(r.failures().toString()).isTrue();
            assertThat(r.wireBytes()).isEqualTo(r.bytesSent()).isEqualTo(text.length);
        }
        HandshakeFrame.Hello hello = (HandshakeFrame.Hello) seen.get(0);
        assertThat(hello.minVersion()).isEqualTo(1);
        assertThat(hello.maxVersion()).isEqualTo(2);
        assertThat(((HandshakeFrame.Auth) seen.get(1)).features()).as("nothing after the proof for a version-1 receiver").isZero();
        assertThat(seen.get(3)).isInstanceOf(Frame.Chunk.class); // a CHUNK_ZSTD would have failed the fake's read
        assertThat(((Frame.Chunk) seen.get(3)).bytes()).isEqualTo(text);
    }

    /** The receiver of protocol version 1: one file of one chunk, as that version's frames say. */
    private static void version1Receiver(ServerSocket server, List<Frame> seen) {
        try (Socket s = server.accept(); FrameChannel ch = new FrameChannel(s, WireLimits.defaults())) {
            ch.readTimeout(Duration.ofSeconds(10));
            seen.add(ch.read()); // HELLO
            ch.send(new HandshakeFrame.Challenge(1, new byte[32]));
            seen.add(ch.read()); // AUTH
            ch.send(new HandshakeFrame.Welcome(WireLimits.DEFAULT_MAX_CHUNK, 1L << 40));
            Frame.Offer offer = (Frame.Offer) ch.read();
            seen.add(offer);
            ch.send(new Frame.Need(offer.fileId(), List.of(new Frame.Range(0, 1)), false, false));
            Frame.Chunk chunk = (Frame.Chunk) ch.read();
            seen.add(new Frame.Chunk(chunk.fileId(), chunk.index(), chunk.crc32c(), ByteBuffer.wrap(chunk.bytes())));
            ch.send(new Frame.Ack(offer.fileId(), 0));
            seen.add(ch.read()); // COMMIT
            ch.send(new Frame.Done(offer.fileId()));
            seen.add(ch.read()); // BYE
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aVersion1SenderGetsVersion1FramesBack() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), receiver.address().getPort());
             FrameChannel out = new FrameChannel(s, WireLimits.defaults())) {
            s.setSoTimeout(10_000);
            InputStream in = new DataInputStream(s.getInputStream());
            out.send(new HandshakeFrame.Hello(1, 1, "f", RawClient.NONCE, "ferry/0.0-v1"));
            ByteBuffer challenge = ByteBuffer.wrap(in.readNBytes(5 + 2 + 32));
            assertThat(challenge.getInt(0)).as("CHALLENGE length").isEqualTo(1 + 2 + 32);
            assertThat(challenge.getShort(5)).as("version chosen").isEqualTo((short) 1);
            byte[] serverNonce = new byte[32];
            challenge.get(7, serverNonce);
            out.send(new HandshakeFrame.Auth(Proof.compute(TOKEN, RawClient.NONCE, serverNonce, "f")));
            ByteBuffer welcome = ByteBuffer.wrap(in.readNBytes(5 + 12));
            assertThat(welcome.getInt(0)).as("WELCOME length: version 1's, no features word").isEqualTo(1 + 12);
            assertThat(welcome.get(4)).isEqualTo((byte) 0x04);
        }
    }

    @Test
    void aVersion2SenderThatAsksForNothingIsGrantedNothing() throws IOException {
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            List<Frame> answers = c.handshake("f", TOKEN, 1, 2, 0);
            assertThat(((HandshakeFrame.Challenge) answers.get(0)).version()).isEqualTo(2);
            assertThat(((HandshakeFrame.Welcome) answers.get(1)).features()).isZero();
        }
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            List<Frame> answers = c.handshake("f", TOKEN, 1, 2, Protocol.FEATURE_ZSTD | 0x8000);
            assertThat(((HandshakeFrame.Welcome) answers.get(1)).features()).as("only what it knows").isEqualTo(Protocol.FEATURE_ZSTD);
        }
    }

    @Test
    void aCompressedChunkWhoseFrameStatesMoreThanTheLimitIsRefusedAndTheReceiverKeepsServing() throws IOException {
        // a bomb: 64 MiB of zeros in a few KiB, declared as one chunk of 1 MiB
        assertRefused(zchunk(1 << 20, Zstd.compress(new byte[64 << 20], 1)),
                "compressed chunk: its zstd frame holds 67108864 bytes but the chunk length=1048576");
        int max = WireLimits.DEFAULT_MAX_CHUNK;
        assertRefused(zchunk(max + 1, Zstd.compress(new byte[max + 1], 1)), "chunk length=" + (max + 1) + " > max=" + max);
        assertRefused(zchunk(4000, concat(Zstd.compress(new byte[4000], 1), Zstd.compress(new byte[4000], 1))),
                "compressed chunk does not decode: Destination buffer is too small (chunk length=4000)");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> receiver.stats().snapshot().protocolErrors() == 3);

        writeTextTree();
        PushResult r = Pusher.push(source, true, "", settings().withShaping(ZSTD));
        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target);
    }

    @Test
    void aCompressedChunkOnASessionThatDidNotAskForItIsRefused() throws IOException {
        assertThat(sendAfterHandshake(0, zchunk(4000, Zstd.compress(new byte[4000], 1))))
                .isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0, "CHUNK_ZSTD (0x18) on a session that did not agree on zstd"));
    }

    private void assertRefused(byte[] frame, String message) throws IOException {
        assertThat(sendAfterHandshake(Protocol.FEATURE_ZSTD, frame)).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0, message));
    }

    private Frame sendAfterHandshake(int features, byte[] frame) throws IOException {
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            List<Frame> answers = c.handshake("f", TOKEN, 1, 2, features);
            assertThat(((HandshakeFrame.Welcome) answers.get(1)).features()).isEqualTo(features);
            c.sendRaw(frame);
            return c.read();
        }
    }

    private static byte[] zchunk(int rawLength, byte[] packed) {
        return ByteBuffer.allocate(5 + 16 + packed.length).putInt(1 + 16 + packed.length).put((byte) 0x18)
                .putInt(1).putInt(0).putInt(rawLength).putInt(0).put(packed).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }
}
