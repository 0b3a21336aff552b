package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.disk.Beneath;
import dev.ferry.hash.FileHasher;
import dev.ferry.hash.StampedDigest;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder's index of held chunks: any index of any held file, kept up to date from the held folder, bounded. */
class ChunkIndexTest {
    private static final int CHUNK = 4096;
    private static final int EIGHT_MIB = 8 << 20;
    private static final HashAlgorithm XXH = HashAlgorithm.XXH3_128;

    @TempDir
    Path root;
    Beneath folder;

    @BeforeEach
    void open() throws IOException {
        folder = Beneath.open(root);
    }

    @AfterEach
    void close() {
        folder.close();
    }

    /** Writes {@code rel} with random bytes and keeps its hashes as the receiver does once it put a file in place. */
    private byte[] held(String rel, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.write(root.resolve(rel), b);
        byte[] hashes = hashes(rel);
        new HeldHashes(folder).keep(rel, XXH, CHUNK, hashes);
        return hashes;
    }

    private byte[] hashes(String rel) throws IOException {
        return new FileHasher(XXH, CHUNK).hash(root.resolve(rel)).chunkHashes();
    }

    /** Looks up the chunks whose hashes are {@code wanted} (chunk i of the file asking: wanted[i]). */
    private static Map<Integer, ChunkIndex.Source> find(ChunkIndex index, Beneath folder, byte[]... wanted) {
        long[] keys = new long[wanted.length];
        BitSet missing = new BitSet();
        for (int i = 0; i < wanted.length; i++) {
            keys[i] = ChunkIndex.key(wanted[i], 0);
            missing.set(i);
        }
        return index.find(folder, XXH, CHUNK, keys, missing);
    }

    private static byte[] chunk(byte[] hashes, int index) {
        return java.util.Arrays.copyOfRange(hashes, index * 16, index * 16 + 16);
    }

    @Test
    void findsAChunkAtAnyIndexOfAnyHeldFile() throws IOException {
        byte[] a = held("a.bin", EIGHT_MIB, 1);
        ChunkIndex index = new ChunkIndex(FerryClock.system());

        Map<Integer, ChunkIndex.Source> found = find(index, folder, chunk(a, 5), chunk(a, 0), new byte[16]);

        StampedDigest.Stamp stamp = HeldHashes.stampOf(folder.stat("a.bin"));
        assertThat(found).containsOnlyKeys(0, 1);
        assertThat(found.get(0)).isEqualTo(new ChunkIndex.Source("a.bin", stamp, 5, CHUNK));
        assertThat(found.get(1)).isEqualTo(new ChunkIndex.Source("a.bin", stamp, 0, CHUNK));
        assertThat(index.size()).isEqualTo(EIGHT_MIB / CHUNK);
    }

    @Test
    void aFileKeptAfterTheIndexWasMadeIsFoundAndAForgottenOneIsNot() throws IOException {
        byte[] a = held("a.bin", EIGHT_MIB, 2);
        ChunkIndex index = new ChunkIndex(FerryClock.system());
        assertThat(find(index, folder, chunk(a, 1))).hasSize(1);

        byte[] b = held("b.bin", EIGHT_MIB + CHUNK, 3);

        assertThat(find(index, folder, chunk(b, 2048))).as("b.bin, kept since").hasSize(1);
        index.forget("a.bin", HeldHashes.stampOf(folder.stat("a.bin")));
        assertThat(find(index, folder, chunk(a, 1))).as("a.bin, forgotten").isEmpty();
        assertThat(index.size()).isEqualTo(EIGHT_MIB / CHUNK + 1);
    }

    @Test
    void aSizeThatDiffersByWholeChunksFromAHeldFileIsWorthItsHashList() throws IOException {
        held("a.bin", EIGHT_MIB, 4);
        ChunkIndex index = new ChunkIndex(FerryClock.system());

        assertThat(index.holdsSizeLike(folder, XXH, CHUNK, EIGHT_MIB)).isTrue();
        assertThat(index.holdsSizeLike(folder, XXH, CHUNK, EIGHT_MIB + 3L * CHUNK)).isTrue();
        assertThat(index.holdsSizeLike(folder, XXH, CHUNK, EIGHT_MIB + 1)).isFalse();
        assertThat(index.holdsSizeLike(folder, XXH, 2 * CHUNK, EIGHT_MIB)).as("another chunk size").isFalse();

        Files.write(root.resolve("a.bin"), new byte[1], java.nio.file.StandardOpenOption.APPEND);
        assertThat(index.holdsSizeLike(folder, XXH, CHUNK, EIGHT_MIB)).as("a.bin changed since it was kept").isFalse();
    }

    @Test
    void noMoreChunksThanTheCapAreIndexed() throws IOException {
        byte[] a = held("a.bin", EIGHT_MIB, 5);
        byte[] b = held("b.bin", EIGHT_MIB, 6);
        ChunkIndex index = new ChunkIndex(FerryClock.system(), 3000);

        Map<Integer, ChunkIndex.Source> found = find(index, folder, chunk(a, 2047), chunk(b, 2047));

        assertThat(index.size()).isEqualTo(3000);
        assertThat(found).as("one file whole, the other in part: the last chunk of one of them is left out").hasSize(1);
    }
}
