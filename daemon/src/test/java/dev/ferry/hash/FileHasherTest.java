package dev.ferry.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHasherTest {
    @Test
    void chunkHashesAndFileHashFollowTheDocumentedDerivation() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            byte[] content = new byte[10_000];
            new Random(1).nextBytes(content);
            Path f = Files.write(fs.getPath("/f"), content);

            FileDigest d = new FileHasher(HashAlgorithm.XXH3_128, 4096).hash(f);

            assertThat(d.chunkCount()).isEqualTo(3);
            ChunkDigester x = ChunkDigester.of(HashAlgorithm.XXH3_128);
            byte[] expected = new byte[48];
            x.digest(content, 0, 4096, expected, 0);
            x.digest(content, 4096, 4096, expected, 16);
            x.digest(content, 8192, 10_000 - 8192, expected, 32);
            assertThat(d.chunkHashes()).isEqualTo(expected);
            assertThat(d.fileHash()).isEqualTo(FileDigest.fileHash(HashAlgorithm.XXH3_128, 4096, 10_000, expected));
        }
    }

    @Test
    void emptyFileHasNoChunksButAFileHash() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path f = Files.write(fs.getPath("/empty"), new byte[0]);
            FileDigest d = new FileHasher(HashAlgorithm.SHA_256, 4096).hash(f);
            assertThat(d.chunkCount()).isZero();
            assertThat(d.fileHash()).hasSize(32);
        }
    }

    @Test
    void fileHashChangesWithSizeChunkingAndEveryByte() {
        byte[] hashes = new byte[32];
        byte[] base = FileDigest.fileHash(HashAlgorithm.XXH3_128, 4096, 5000, hashes);
        assertThat(FileDigest.fileHash(HashAlgorithm.XXH3_128, 4096, 5001, hashes)).isNotEqualTo(base);
        assertThat(FileDigest.fileHash(HashAlgorithm.XXH3_128, 8192, 5000, hashes)).isNotEqualTo(base);
        byte[] other = hashes.clone();
        other[31] = 1;
        assertThat(FileDigest.fileHash(HashAlgorithm.XXH3_128, 4096, 5000, other)).isNotEqualTo(base);
    }

    @Test
    void slicedHashingOfABigFileEqualsSequentialHashing(@TempDir Path tmp) throws IOException {
        byte[] content = new byte[(int) FileHasher.PARALLEL_BYTES + 3 * 65536 + 7];
        new Random(2).nextBytes(content);
        Path f = Files.write(tmp.resolve("big"), content);

        FileDigest sequential = new FileHasher(HashAlgorithm.XXH3_128, 65536, 1).hash(f);
        FileDigest sliced = new FileHasher(HashAlgorithm.XXH3_128, 65536, 3).hash(f);

        assertThat(sliced).isEqualTo(sequential);
        assertThat(Arrays.equals(sliced.chunkHashes(), 0, 16, new byte[16], 0, 16)).isFalse();
    }

    @Test
    void shrinkingFileIsReportedAsChanged() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path f = Files.write(fs.getPath("/f"), new byte[100]);
            try (var ch = java.nio.channels.FileChannel.open(f)) {
                assertThatThrownBy(() -> new FileHasher(HashAlgorithm.XXH3_128, 4096).hash(ch, 200, f))
                        .hasMessage("/f changed while being read: ended at 100 bytes, expected 200");
            }
        }
    }
}
