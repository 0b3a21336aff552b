package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.CHUNK;
import static dev.ferry.receive.HostileClientTest.TOKEN;
import static dev.ferry.receive.HostileClientTest.chunk;
import static dev.ferry.receive.HostileClientTest.digest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.hash.FileDigest;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inline offers (chunks and COMMIT right behind the OFFER, no NEED) against a real receiver, frame by frame. */
class InlineOfferTest {
    @TempDir
    Path tmp;
    Path target;
    Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        target = Files.createDirectories(tmp.resolve("target"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("f", target)));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    RawClient client() throws IOException {
        return RawClient.authenticated(receiver.address().getPort(), "f", TOKEN);
    }

    static Frame.Offer inlineOffer(int id, String path, byte[] content) {
        FileDigest d = digest(content);
        return new Frame.Offer(id, EntryKind.FILE, path, content.length, 1_700_000_000L, 0, 0644, CHUNK,
                HashAlgorithm.XXH3_128, d.fileHash(), d.chunkCount(), d.chunkHashes(), Frame.Delivery.INLINE);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void inlineFileIsCommittedWithoutANeed() throws IOException {
        byte[] content = bytes(CHUNK + 100, 1); // two chunks
        try (RawClient c = client()) {
            c.channel().write(inlineOffer(1, "a/small.bin", content));
            c.channel().write(chunk(1, 0, content));
            c.channel().write(chunk(1, 1, content));
            c.channel().write(new Frame.Commit(1));
            c.channel().flush();

            assertThat(c.read()).isEqualTo(new Frame.Ack(1, 0));
            assertThat(c.read()).isEqualTo(new Frame.Ack(1, 1));
            assertThat(c.read()).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("a/small.bin"))).isEqualTo(content);
        assertThat(receiver.stats().snapshot().filesCommitted()).isEqualTo(1);
    }

    @Test
    void emptyInlineFileNeedsOnlyItsCommit() throws IOException {
        try (RawClient c = client()) {
            c.channel().write(inlineOffer(1, "empty", new byte[0]));
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.size(target.resolve("empty"))).isZero();
    }

    @Test
    void commitWaitsForAChunkThatIsSentAgainAfterANack() throws IOException {
        byte[] content = bytes(5000, 2);
        Frame.Chunk good = chunk(1, 0, content);
        Frame.Chunk damaged = new Frame.Chunk(1, 0, good.crc32c() ^ 1, content, 0, content.length);
        try (RawClient c = client()) {
            c.channel().write(inlineOffer(1, "retry.bin", content));
            c.channel().write(damaged);
            c.channel().write(new Frame.Commit(1));
            c.channel().flush();
            assertThat(c.read()).isEqualTo(new Frame.Nack(1, 0, ErrorCode.CRC_MISMATCH));
            assertThat(Files.exists(target.resolve("retry.bin"))).as("not committed with a chunk missing").isFalse();

            c.channel().send(good);
            assertThat(c.read()).isEqualTo(new Frame.Ack(1, 0));
            assertThat(c.read()).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("retry.bin"))).isEqualTo(content);
        assertThat(receiver.stats().snapshot().crcMismatches()).isEqualTo(1);
    }

    @Test
    void inlineCopyOfTheFileAlreadyThereOnlyUpdatesItsMetadata() throws IOException {
        byte[] content = "same content".getBytes(StandardCharsets.UTF_8);
        Path existing = Files.write(target.resolve("same.txt"), content);
        Object inodeBefore = Files.readAttributes(existing, "unix:ino").get("ino");
        try (RawClient c = client()) {
            c.channel().write(inlineOffer(1, "same.txt", content));
            c.channel().write(chunk(1, 0, content));
            c.channel().write(new Frame.Commit(1));
            c.channel().flush();
            assertThat(c.read()).isEqualTo(new Frame.Ack(1, 0));
            assertThat(c.read()).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAttributes(existing, "unix:ino").get("ino")).as("same file, not replaced").isEqualTo(inodeBefore);
        assertThat(Files.getLastModifiedTime(existing).toMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(receiver.stats().snapshot().filesUnchanged()).isEqualTo(1);
        assertThat(receiver.stats().snapshot().filesCommitted()).isZero();
    }

    @Test
    void inlineFileWithAWrongChunkIsRefusedAndNothingIsWritten() throws IOException {
        byte[] content = bytes(3000, 3);
        byte[] other = bytes(3000, 4);
        try (RawClient c = client()) {
            c.channel().write(inlineOffer(1, "bad.bin", content));
            c.channel().write(chunk(1, 0, other)); // intact in flight (CRC fine), but not the offered content
            c.channel().flush();
            assertThat(c.read()).isEqualTo(new Frame.Nack(1, 0, ErrorCode.HASH_MISMATCH));
            c.channel().send(new Frame.Error(ErrorCode.IO, 1, "source changed while it was pushed"));
            HostileClientTest.sendFile(c, 2, "next.txt", "still serving".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(target.resolve("bad.bin")).doesNotExist();
        assertThat(Files.readString(target.resolve("next.txt"))).isEqualTo("still serving");
    }
}
