package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.hash.StampedDigest;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.ProxyStats;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The receiver makes a new file from chunks any file it holds has, at any index (receive.ChunkIndex): the chunks of
 * a held file in another order, or shifted by whole chunks, cost nothing on the wire but the chunks that are new.
 * Every chunk copied is hashed again: a kept list that lies about a file's bytes costs a chunk sent, never a wrong
 * file.
 */
class ChunkReuseTest extends LoopbackReceiverTest {
    private static final Token TOKEN = Token.of("chunk-reuse-test-token-0123456789");
    private static final int MIB = 1024 * 1024;
    /** A's size: 12 whole chunks of 1 MiB and a last one of 5 bytes. */
    private static final int A_SIZE = 12 * MIB + 5;

    ChunkReuseTest() {
        super(TOKEN, "reuse");
    }

    private PushResult push() throws IOException {
        PushResult r = Pusher.push(source, true, "", Loopback.pushSettings(receiver.address().getPort(), "reuse", TOKEN));
        assertThat(r.failures()).isEmpty();
        return r;
    }

    /** Bytes that crossed the wire in both directions (frames and all) during the last {@link #measuredPush}. */
    private long wireTotal;

    /** A push through a counting proxy: {@link #wireTotal} says what it cost on the wire (printed, for the record). */
    private PushResult measuredPush(String what, long fileSize) throws IOException {
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            PushResult r = Pusher.push(source, true, "", Loopback.pushSettings(proxy.port(), "reuse", TOKEN));
            assertThat(r.failures()).isEmpty();
            ProxyStats s = proxy.stats();
            wireTotal = s.bytesUp() + s.bytesDown();
            System.out.println(String.format("wire bytes for %s: %d up + %d down for a %d-byte file (%.4f%%)", what, s.bytesUp(),
                    s.bytesDown(), fileSize, 100.0 * wireTotal / fileSize));
            return r;
        }
    }

    @Test
    void aCopyOfABigHeldFileMovesAlmostNothingOnTheWire() throws IOException {
        Path a = Trees.randomFile(source.resolve("a.bin"), 64 * MIB + 5, 10);
        push();
        Files.copy(a, source.resolve("copy of a.bin"));

        PushResult r = measuredPush("a copy of a held file", 64 * MIB + 5);

        assertThat(r.chunksSent()).isZero();
        assertThat(wireTotal).as("bytes on the wire, both ways").isLessThan(16 * 1024);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aHeldFilesChunksInAnotherOrderAreCopiedNotSent() throws IOException {
        byte[] a = Files.readAllBytes(Trees.randomFile(source.resolve("a.bin"), A_SIZE, 11));
        push();
        ByteArrayOutputStream reordered = new ByteArrayOutputStream();
        for (int i = 11; i >= 0; i--) { // the whole chunks backwards, the short last one last
            reordered.write(a, i * MIB, MIB);
        }
        reordered.write(a, 12 * MIB, 5);
        Files.write(source.resolve("reordered.bin"), reordered.toByteArray());
        long reusedBefore = receiver.stats().snapshot().chunksReused();

        PushResult r = measuredPush("a held file's chunks in another order", A_SIZE);

        assertThat(r.chunksSent()).as("chunks sent for a held file's chunks in another order").isZero();
        assertThat(receiver.stats().snapshot().chunksReused() - reusedBefore).isEqualTo(13);
        assertThat(wireTotal).as("bytes on the wire for a %d-byte file", A_SIZE).isLessThan(16 * 1024);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aChunkPrependedToAHeldFileIsTheOnlyOneSent() throws IOException {
        byte[] a = Files.readAllBytes(Trees.randomFile(source.resolve("a.bin"), A_SIZE, 12));
        push();
        byte[] prepended = new byte[MIB + A_SIZE];
        new Random(13).nextBytes(prepended);
        System.arraycopy(a, 0, prepended, MIB, A_SIZE);
        Files.write(source.resolve("prepended.bin"), prepended);

        PushResult r = measuredPush("a chunk prepended to a held file", prepended.length);

        assertThat(r.chunksSent()).as("only the new first chunk").isEqualTo(1);
        assertThat(r.bytesSent()).isEqualTo(MIB);
        assertThat(wireTotal).isBetween((long) MIB, MIB + 16L * 1024);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aSmallerFileMadeOfAHeldFilesChunksIsCopiedToo() throws IOException {
        byte[] a = Files.readAllBytes(Trees.randomFile(source.resolve("a.bin"), A_SIZE, 14));
        push();
        Files.write(source.resolve("part.bin"), Arrays.copyOfRange(a, 3 * MIB, 7 * MIB)); // 4 MiB: hashed, not streamed

        PushResult r = push();

        assertThat(r.chunksSent()).isZero();
        Trees.assertIdentical(source, target);
    }

    @Test
    void aKeptListThatDoesNotDescribeItsFileCostsAChunkNotAWrongFile() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), A_SIZE, 15);
        push();
        byte[] b = new byte[4 * MIB];
        new Random(16).nextBytes(b);
        Files.write(source.resolve("b.bin"), b);
        // a.bin's kept list is made to say that its chunk 2 is b.bin's chunk 1: the index then sends the copy there
        FileDigest bDigest = new FileHasher(HashAlgorithm.XXH3_128, MIB).hash(source.resolve("b.bin"));
        Path entry = heldEntries().getFirst();
        StampedDigest d = StampedDigest.decode(ByteBuffer.wrap(Files.readAllBytes(entry)));
        byte[] forged = d.chunkHashes().clone();
        System.arraycopy(bDigest.chunkHashes(), 16, forged, 2 * 16, 16);
        Files.write(entry, new StampedDigest(d.key(), d.stamp(), d.algorithm(), d.chunkSize(), forged).encode());

        PushResult r = push();

        assertThat(r.chunksSent()).as("b.bin's 4 chunks (the one a.bin was said to have too), and a.bin's chunk 2, which"
                + " its list now says differs").isEqualTo(4 + 1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aKeptListThatLiesAboutTheFinalPathCostsAChunkNotAFailedCommit() throws IOException {
        Path f = Trees.randomFile(source.resolve("twelve.bin"), A_SIZE, 17);
        push();
        byte[] next = Files.readAllBytes(f);
        next[4 * MIB + 100] ^= 1;
        next[8 * MIB + 100] ^= 1;
        Files.write(f, next);
        // the kept list of the receiver's copy is made to list the new chunk 4 (not 8: a list that matched every
        // chunk would make the copy identical, with no copy to check): chunk 4 would be copied from the old one
        FileDigest nextDigest = new FileHasher(HashAlgorithm.XXH3_128, MIB).hash(f);
        Path entry = heldEntries().getFirst();
        StampedDigest d = StampedDigest.decode(ByteBuffer.wrap(Files.readAllBytes(entry)));
        byte[] forged = d.chunkHashes().clone();
        System.arraycopy(nextDigest.chunkHashes(), 4 * 16, forged, 4 * 16, 16);
        Files.write(entry, new StampedDigest(d.key(), d.stamp(), d.algorithm(), d.chunkSize(), forged).encode());

        PushResult r = push();

        assertThat(r.chunksSent()).as("chunk 8, and chunk 4: its copy did not hash to what the list said").isEqualTo(2);
        Trees.assertIdentical(source, target);
    }

    private java.util.List<Path> heldEntries() throws IOException {
        try (Stream<Path> s = Files.list(target.resolve(".ferry/held"))) {
            return s.filter(p -> p.toString().endsWith(".digest")).toList();
        }
    }
}
