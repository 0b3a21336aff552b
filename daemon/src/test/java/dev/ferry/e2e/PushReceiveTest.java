package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.push.PushException;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Trees;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A real receiver on 127.0.0.1 and real pushes of real files. */
class PushReceiveTest extends LoopbackReceiverTest {
    static final Token TOKEN = Token.of("test-token-0123456789abcdef");

    PushReceiveTest() {
        super(TOKEN, "photos");
    }


    PushSettings settings(int port) {
        return Loopback.pushSettings(port, "photos", TOKEN);
    }

    PushResult push(Path src, boolean contentsOnly, String subdir) throws PushException {
        return Pusher.push(src, contentsOnly, subdir, settings(receiver.address().getPort()));
    }

    /** The tree the issue lists: empty dir, 0-byte file, 20 MiB random file, nesting, spaces, non-ASCII, modes. */
    void buildTree() throws IOException {
        Files.createDirectories(source.resolve("empty dir"));
        Files.write(source.resolve("zero.bin"), new byte[0]);
        Trees.randomFile(source.resolve("big/random 20MiB.bin"), 20 * 1024 * 1024 + 123, 1);
        Trees.randomFile(source.resolve("a/b/c/deep.txt"), 5000, 2);
        Trees.randomFile(source.resolve("ünïcödé/日本語 ファイル.txt"), 77, 3);
        Path script = Trees.randomFile(source.resolve("a/run.sh"), 100, 4);
        Trees.mode(script, "rwxr-x---");
        Trees.mode(source.resolve("zero.bin"), "rw-------");
        Trees.mode(source.resolve("a/b"), "rwx------");
        Trees.mtime(source.resolve("a/b/c/deep.txt"), "2001-02-03T04:05:06.123456789Z");
        Trees.mtime(source.resolve("big/random 20MiB.bin"), "2030-01-01T00:00:00Z");
    }

    @Test
    void pushesTreeByteIdenticalWithMtimeAndMode() throws IOException {
        buildTree();

        PushResult r = push(source, true, "");

        assertThat(r.failures()).isEmpty();
        assertThat(r.filesSent()).isEqualTo(5);
        assertThat(r.filesUnchanged()).isZero();
        assertThat(r.chunksResent()).isZero();
        assertThat(r.chunksSent()).isEqualTo(21 + 1 + 1 + 1); // 20 MiB + 123 B is 21 chunks; the zero file has none
        Trees.assertIdentical(source, target);
        assertThat(Trees.list(target.resolve(".ferry/partial"))).as("no partial left behind").isEmpty();
    }

    @Test
    void secondPushSendsNoChunk() throws IOException {
        buildTree();
        push(source, true, "");
        long chunksBefore = receiver.stats().snapshot().chunksReceived();

        PushResult again = push(source, true, "");

        assertThat(again.failures()).isEmpty();
        assertThat(again.chunksSent()).isZero();
        assertThat(again.bytesSent()).isZero();
        assertThat(again.filesUnchanged()).isEqualTo(5);
        assertThat(again.filesSent()).isZero();
        assertThat(receiver.stats().snapshot().chunksReceived()).isEqualTo(chunksBefore);
        Trees.assertIdentical(source, target);
    }

    @Test
    void directoryWithoutTrailingSlashLandsInsideSubdir() throws IOException {
        Trees.randomFile(source.resolve("x/y.txt"), 10, 5);

        PushResult r = push(source, false, "backup/today");

        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target.resolve("backup/today/source"));
    }

    @Test
    void singleFileLandsInSubdir() throws IOException {
        Path f = Trees.randomFile(source.resolve("one.bin"), 4096, 6);

        PushResult r = push(f, false, "single");

        assertThat(r.ok()).isTrue();
        assertThat(Files.readAllBytes(target.resolve("single/one.bin"))).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void changedChunkIsTheOnlyOneSent() throws IOException {
        Path f = Trees.randomFile(source.resolve("five.bin"), 5 * 1024 * 1024, 7);
        push(source, true, "");
        byte[] bytes = Files.readAllBytes(f);
        bytes[2 * 1024 * 1024 + 17] ^= 1;
        Files.write(f, bytes);

        PushResult r = push(source, true, "");

        assertThat(r.ok()).isTrue();
        assertThat(r.chunksSent()).isEqualTo(1);
        assertThat(receiver.stats().snapshot().chunksReused()).isEqualTo(4);
        Trees.assertIdentical(source, target);
    }

    @Test
    void bigFileIsStreamedAndAChangeInItSendsOnlyThatChunk() throws IOException {
        Path f = Trees.randomFile(source.resolve("twelve.bin"), 12 * 1024 * 1024 + 5, 12);
        PushResult first = push(source, true, "");
        assertThat(first.chunksSent()).isEqualTo(13);
        byte[] bytes = Files.readAllBytes(f);
        bytes[7 * 1024 * 1024 + 3] ^= 1;
        Files.write(f, bytes);

        // the receiver holds an older version: it asks for the hash list first, then for the one changed chunk
        PushResult r = push(source, true, "");

        assertThat(r.failures()).isEmpty();
        assertThat(r.chunksSent()).isEqualTo(1);
        assertThat(receiver.stats().snapshot().chunksReused()).isEqualTo(12);
        Trees.assertIdentical(source, target);
    }

    @Test
    void oneConnectionCarriesPlanAfterPlan() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), 5000, 21);
        Trees.randomFile(source.resolve("b.bin"), 7000, 22);
        try (dev.ferry.push.PushConnection c = dev.ferry.push.PushConnection.open(settings(receiver.address().getPort()))) {
            PushResult first = c.send(new dev.ferry.push.PushPlan(List.of(),
                    List.of(dev.ferry.push.SourceEntry.of(source.resolve("a.bin"), "a.bin")), List.of(), Map.of(), List.of()));
            PushResult second = c.send(new dev.ferry.push.PushPlan(List.of(new dev.ferry.push.PushPlan.TreeEdit.Rename("a.bin", "c.bin")),
                    List.of(dev.ferry.push.SourceEntry.of(source.resolve("b.bin"), "b.bin")), List.of(), Map.of(), List.of()));

            assertThat(first.ok()).isTrue();
            assertThat(second.ok()).isTrue();
            assertThat(second.treeOps()).isEqualTo(1);
            assertThat(second.filesSent()).isEqualTo(1);
        }
        assertThat(receiver.stats().snapshot().connectionsAccepted()).isEqualTo(1);
        assertThat(Files.readAllBytes(target.resolve("c.bin"))).isEqualTo(Files.readAllBytes(source.resolve("a.bin")));
        assertThat(Files.readAllBytes(target.resolve("b.bin"))).isEqualTo(Files.readAllBytes(source.resolve("b.bin")));
    }

    @Test
    void wrongTokenIsRefusedAndWritesNothing() throws IOException {
        buildTree();
        PushSettings wrong = Loopback.pushSettings(receiver.address().getPort(), "photos", Token.of("not-the-right-token-at-all"));

        assertThatThrownBy(() -> Pusher.push(source, true, "", wrong))
                .isInstanceOf(PushException.class)
                .hasMessage("receiver refused: authentication failed: the token does not match (AUTH_FAILED)");
        assertThat(Trees.list(target)).isEmpty();
        assertThat(Files.exists(target.resolve(".ferry"))).isFalse();
        assertThat(receiver.stats().snapshot().authFailures()).isEqualTo(1);
    }

    @Test
    void unknownFolderIsRefusedWithItsName() throws IOException {
        Trees.randomFile(source.resolve("f"), 1, 8);
        PushSettings nope = Loopback.pushSettings(receiver.address().getPort(), "nope", TOKEN);

        assertThatThrownBy(() -> Pusher.push(source, true, "", nope))
                .hasMessage("receiver refused: no folder named 'nope' on this receiver (UNKNOWN_FOLDER)");
    }

    @Test
    void corruptedChunkIsNackedResentAndArrivesIntact() throws IOException {
        Trees.randomFile(source.resolve("big.bin"), 20 * 1024 * 1024, 9);
        // Past the handshake and OFFER (a few hundred bytes), 1.5 MiB in is inside chunk 1's data.
        try (FaultProxy proxy = new FaultProxy(receiver.address()).flipByteAt(1536 * 1024)) {
            PushResult r = Pusher.push(source, true, "", settings(proxy.port()));

            assertThat(r.failures()).isEmpty();
            assertThat(r.chunksResent()).isEqualTo(1);
            assertThat(r.chunksSent()).isEqualTo(21);
        }
        assertThat(receiver.stats().snapshot().crcMismatches()).isEqualTo(1);
        assertThat(receiver.stats().snapshot().hashMismatches()).isZero();
        Trees.assertIdentical(source, target);
    }

    @Test
    void corruptedInlineChunkIsNackedResentAndTheCommitWaitsForIt() throws IOException {
        Trees.randomFile(source.resolve("small.bin"), 40_000, 11); // inline: OFFER, CHUNK and COMMIT in one flight
        // Past the handshake (~150 bytes) and the OFFER (~100 bytes): 20,000 bytes in is inside the chunk's data.
        try (FaultProxy proxy = new FaultProxy(receiver.address()).flipByteAt(20_000)) {
            PushResult r = Pusher.push(source, true, "", settings(proxy.port()).withInlineUpTo(PushSettings.SMALL_FILE_BYTES));

            assertThat(r.failures()).isEmpty();
            assertThat(r.filesSent()).isEqualTo(1);
            assertThat(r.chunksSent()).isEqualTo(2);
            assertThat(r.chunksResent()).isEqualTo(1);
        }
        assertThat(receiver.stats().snapshot().crcMismatches()).isEqualTo(1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void manyFilesInFlightAllArrive() throws IOException {
        Random random = new Random(10);
        for (int i = 0; i < 300; i++) {
            Trees.randomFile(source.resolve("d" + (i % 7) + "/f" + i), random.nextInt(70_000), i);
        }

        PushResult r = push(source, true, "");

        assertThat(r.failures()).isEmpty();
        assertThat(r.filesSent()).isEqualTo(300);
        Trees.assertIdentical(source, target);
    }

    @Test
    void hashListLongerThanOneFrameTravelsInHashesFrames() throws IOException {
        // 4 KiB chunks: 70,000 chunks > 65,536 hashes per OFFER, so the sender must split the list
        Path sparse = source.resolve("sparse.bin");
        try (var ch = java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 70_000L * 4096 - 3);
        }

        PushResult r = Pusher.push(source, true, "", settings(receiver.address().getPort()).withChunkSize(4096));

        assertThat(r.failures()).isEmpty();
        assertThat(r.chunksSent()).isEqualTo(70_000);
        Trees.assertIdentical(source, target);
    }

    @Test
    void sha256IsAcceptedAsTheChunkHash() throws IOException {
        Trees.randomFile(source.resolve("s.bin"), 3 * 1024 * 1024 + 5, 11);

        PushResult r = Pusher.push(source, true, "", settings(receiver.address().getPort())
                .withAlgorithm(dev.ferry.wire.HashAlgorithm.SHA_256));

        assertThat(r.ok()).isTrue();
        Trees.assertIdentical(source, target);
    }
}
