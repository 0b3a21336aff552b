package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.hash.StampedDigest;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The receiver keeps the chunk hashes of the big files it holds (receive.HeldHashes, {@code .ferry/held/}) and
 * answers a new version's NEED from them without reading its copy; a copy changed behind its back (same size and
 * mtime, other bytes) is not trusted to them: its ctime moved, so it is read and hashed, and repaired. A copy or
 * a move of a file it holds is made from that file's chunks.
 */
class HeldHashesTest extends LoopbackReceiverTest {
    private static final Token TOKEN = Token.of("held-hashes-test-token-0123456789");
    private static final int MIB = 1024 * 1024;

    HeldHashesTest() {
        super(TOKEN, "big");
    }

    private PushResult push() throws IOException {
        return Pusher.push(source, true, "", Loopback.pushSettings(receiver.address().getPort(), "big", TOKEN));
    }

    @Test
    void aCommittedBigFileLeavesItsHashesAndASmallOneNone() throws IOException {
        Trees.randomFile(source.resolve("twelve.bin"), 12 * MIB + 5, 1);
        Trees.randomFile(source.resolve("small.bin"), 3 * MIB, 2);

        push();

        List<Path> held = heldEntries();
        assertThat(held).hasSize(1);
        StampedDigest d = StampedDigest.decode(ByteBuffer.wrap(Files.readAllBytes(held.getFirst())));
        assertThat(d).isNotNull();
        assertThat(d.key()).isEqualTo("twelve.bin");
        assertThat(d.stamp().size()).isEqualTo(12 * MIB + 5);
        assertThat(d.stamp().inode()).isEqualTo(Files.getAttribute(target.resolve("twelve.bin"), "unix:ino"));
        assertThat(d.chunkHashes()).hasSize(13 * 16);
    }

    @Test
    void theNeedForANewVersionComesFromTheHeldHashesNotFromReadingTheCopy() throws IOException {
        Path f = Trees.randomFile(source.resolve("twelve.bin"), 12 * MIB + 5, 3);
        push();
        // the receiver's entry is made to say that chunk 4 differs: if the NEED comes from it, chunk 4 is sent
        // although the copy on disk is identical (reading the copy would find nothing to send)
        Path entry = heldEntries().getFirst();
        StampedDigest d = StampedDigest.decode(ByteBuffer.wrap(Files.readAllBytes(entry)));
        byte[] forged = d.chunkHashes().clone();
        forged[4 * 16] ^= 1;
        Files.write(entry, new StampedDigest(d.key(), d.stamp(), d.algorithm(), d.chunkSize(), forged).encode());
        Trees.mtime(f, "2031-01-01T00:00:00Z"); // a new version to the sender (same bytes)

        PushResult r = push();

        assertThat(r.failures()).isEmpty();
        assertThat(r.chunksSent()).isEqualTo(1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aCopyChangedBehindTheReceiversBackIsReadAgainAndRepaired() throws IOException {
        Path f = Trees.randomFile(source.resolve("twelve.bin"), 12 * MIB + 5, 4);
        push();
        flipKeepingSizeAndMtime(target.resolve("twelve.bin"), 6L * MIB + 10); // chunk 6: only the ctime tells
        Trees.mtime(f, "2031-01-01T00:00:00Z");

        PushResult r = push();

        assertThat(r.failures()).isEmpty();
        assertThat(r.chunksSent()).as("only the chunk changed on the receiver").isEqualTo(1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aDamagedEntryIsIgnored() throws IOException {
        Path f = Trees.randomFile(source.resolve("twelve.bin"), 12 * MIB + 5, 5);
        push();
        Path entry = heldEntries().getFirst();
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(entry, bytes);
        byte[] changed = Files.readAllBytes(f);
        changed[9 * MIB] ^= 1;
        Files.write(f, changed);

        PushResult r = push();

        assertThat(r.failures()).isEmpty();
        assertThat(r.chunksSent()).isEqualTo(1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void aCopyAndAMoveOfAFileTheReceiverHoldsAreMadeFromItsChunks() throws IOException {
        Path a = Trees.randomFile(source.resolve("a.bin"), 12 * MIB + 5, 6);
        push();
        Files.copy(a, source.resolve("copy of a.bin"));
        long reusedBefore = receiver.stats().snapshot().chunksReused();

        PushResult copied = push();

        assertThat(copied.failures()).isEmpty();
        assertThat(copied.chunksSent()).as("chunks sent for a copy of a file the receiver holds").isZero();
        assertThat(receiver.stats().snapshot().chunksReused() - reusedBefore).isEqualTo(13);
        Trees.assertIdentical(source, target);

        Files.createDirectories(source.resolve("moved"));
        Files.move(source.resolve("copy of a.bin"), source.resolve("moved/b.bin"));
        PushResult moved = push();

        assertThat(moved.failures()).isEmpty();
        assertThat(moved.chunksSent()).as("chunks sent for a moved file").isZero();
        assertThat(target.resolve("moved/b.bin")).hasSameBinaryContentAs(a);
    }

    @Test
    void aHeldFileChangedBehindTheReceiversBackIsNotCopiedFrom() throws IOException {
        Path a = Trees.randomFile(source.resolve("a.bin"), 12 * MIB + 5, 7);
        push();
        flipKeepingSizeAndMtime(target.resolve("a.bin"), 2L * MIB + 1);
        // the copy alone, into a folder of its own: a.bin is not offered, so its partial file (a repair in flight,
        // which the copy could take chunks from) does not come into it
        Path copies = Files.createDirectories(tmp.resolve("copies"));
        Files.copy(a, copies.resolve("copy.bin"));

        PushResult r = Pusher.push(copies, true, "sub", Loopback.pushSettings(receiver.address().getPort(), "big", TOKEN));

        assertThat(r.failures()).isEmpty();
        assertThat(target.resolve("sub/copy.bin")).hasSameBinaryContentAs(a);
        assertThat(r.chunksSent()).as("every chunk of the copy: a.bin changed since its hashes were kept").isEqualTo(13);
    }

    /** Flips the byte at {@code offset} of {@code file} in place and puts its mtime back: same size, same mtime. */
    private static void flipKeepingSizeAndMtime(Path file, long offset) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(~b);
        }
        Files.setLastModifiedTime(file, mtime);
    }

    private List<Path> heldEntries() throws IOException {
        try (Stream<Path> s = Files.list(target.resolve(".ferry/held"))) {
            return s.filter(p -> p.toString().endsWith(".digest")).toList();
        }
    }
}
