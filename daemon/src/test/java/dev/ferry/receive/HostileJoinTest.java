package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.wire.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JOINs no honest sender sends, against a real receiver: each is answered with an ERROR naming the stream's id and a
 * clear message, and the session goes on serving; the shared file still commits whole.
 */
class HostileJoinTest {
    static final Token TOKEN = Token.of("hostile-join-token-0123456789");
    static final int CHUNK = 4096;
    static final byte[] KEY = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final String NOT_IN_FLIGHT = "JOIN of 'big.bin': no file in flight there with that key (not shared, or committed or"
            + " given up)";

    @TempDir
    Path tmp;
    Path target;
    Receiver receiver;
    byte[] content;
    FileDigest digest;

    @BeforeEach
    void start() throws IOException {
        target = Files.createDirectories(tmp.resolve("target"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)));
        content = new byte[4 * CHUNK];
        new Random(3).nextBytes(content);
        Path f = Files.write(tmp.resolve("content.bin"), content);
        digest = new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(f);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** A client from {@code local} (a loopback address) that asked for parallel streams, and was granted them. */
    RawClient streams(String local) throws IOException {
        RawClient c = new RawClient(receiver.address().getPort(), InetAddress.getByName(local));
        List<Frame> answers = c.handshake("f", TOKEN, 1, 2, Protocol.FEATURE_STREAMS);
        assertThat(((HandshakeFrame.Welcome) answers.get(1)).features()).isEqualTo(Protocol.FEATURE_STREAMS);
        return c;
    }

    Frame.Offer offer(int id) {
        return new Frame.Offer(id, EntryKind.FILE, "big.bin", content.length, 1_700_000_000L, 0, 0644, CHUNK,
                HashAlgorithm.XXH3_128, digest.fileHash(), digest.chunkCount(), digest.chunkHashes());
    }

    Frame.Chunk chunk(int id, int index) {
        return chunk(id, index, index);
    }

    /** Chunk {@code index}, carrying chunk {@code of}'s bytes. */
    Frame.Chunk chunk(int id, int index, int of) {
        ByteBuffer data = ByteBuffer.wrap(content, of * CHUNK, CHUNK).slice();
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return new Frame.Chunk(id, index, (int) crc.getValue(), data);
    }

    Frame.Hashes hash(int id, int index) {
        return new Frame.Hashes(id, index, HashAlgorithm.XXH3_128,
                Arrays.copyOfRange(digest.chunkHashes(), index * 16, index * 16 + 16));
    }

    static void assertStillServing(RawClient c) throws IOException {
        assertThat(c.send(new Frame.Ping(7))).isEqualTo(new Frame.Pong(7));
    }

    @Test
    void hostileJoinsAreRefusedOneByOneAndTheSharedFileStillCommitsWhole() throws IOException {
        try (RawClient owner = streams("127.0.0.1"); RawClient joiner = streams("127.0.0.1");
             RawClient stranger = streams("127.0.0.2")) {
            owner.channel().write(new Frame.Share(1, KEY));
            assertThat(owner.send(offer(1))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(0, 4)), false, false));

            byte[] wrongKey = KEY.clone();
            wrongKey[0] ^= 1;
            assertThat(joiner.send(new Frame.Join(1, wrongKey, "big.bin")))
                    .isEqualTo(new Frame.Error(ErrorCode.NOT_FOUND, 1, NOT_IN_FLIGHT));
            assertThat(joiner.send(new Frame.Join(2, KEY, "other.bin"))).isEqualTo(new Frame.Error(ErrorCode.NOT_FOUND, 2,
                    "JOIN of 'other.bin': no file in flight there with that key (not shared, or committed or given up)"));
            assertThat(joiner.send(new Frame.Join(3, KEY, "../big.bin"))).isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 3,
                    "refused path: '..' segment in '../big.bin'"));
            assertThat(stranger.send(new Frame.Join(1, KEY, "big.bin"))).isEqualTo(new Frame.Error(ErrorCode.PERMISSION, 1,
                    "JOIN of 'big.bin': the file is being received from another peer"));
            assertStillServing(stranger);

            joiner.channel().write(new Frame.Join(4, KEY, "big.bin"));
            assertThat(joiner.send(chunk(4, 9, 0))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 4,
                    "CHUNK index=9 but 'big.bin' has 4 chunks"));
            joiner.channel().write(new Frame.Join(5, KEY, "big.bin"));
            assertThat(joiner.send(chunk(5, 1))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 5,
                    "CHUNK index=1 of a joined stream before its hash"));
            joiner.channel().write(new Frame.Join(6, KEY, "big.bin"));
            joiner.channel().write(hash(6, 1));
            assertThat(joiner.send(chunk(6, 1))).isEqualTo(new Frame.Ack(6, 1));
            assertThat(joiner.send(new Frame.Commit(6))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                    "COMMIT for fileId=6, a joined stream (the connection that offered the file commits it)"));

            for (int i : new int[] {0, 2, 3}) {
                assertThat(owner.send(chunk(1, i))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(owner.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
            assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(content);

            assertThat(stranger.send(new Frame.Join(2, KEY, "big.bin"))).as("after the commit")
                    .isEqualTo(new Frame.Error(ErrorCode.NOT_FOUND, 2, NOT_IN_FLIGHT));
        }
        assertThat(receiver.stats().snapshot().chunksJoined()).isEqualTo(1);
    }

    @Test
    void aJoinOnASessionThatDidNotAskForStreamsEndsIt() throws IOException {
        try (RawClient plain = RawClient.authenticated(receiver.address().getPort(), "f", TOKEN)) {
            assertThat(plain.send(new Frame.Join(1, KEY, "big.bin"))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                    "JOIN on a session that did not agree on parallel streams"));
        }
    }

    @Test
    void aShareMustComeRightBeforeItsOffer() throws IOException {
        try (RawClient owner = streams("127.0.0.1")) {
            owner.channel().write(new Frame.Share(1, KEY));
            assertThat(owner.send(offer(2))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                    "SHARE for fileId=1 followed by the OFFER of fileId=2"));
        }
    }
}
