package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sidecars cut and damaged by hand: reading keeps exactly the chunks recorded before the damage. */
class PartialSidecarTest {
    private static final PartialSidecar.Version VERSION =
            new PartialSidecar.Version("dir/big.bin", 5 * 1024, 1_700_000_000L, 5, 1024, HashAlgorithm.XXH3_128);
    private static final int D = 16;
    /** Header, then the VERSION record: a 9-byte frame around str path + 8 + 8 + 4 + 4 + 1. */
    private static final int VERSION_END = 8 + 9 + 2 + "dir/big.bin".length() + 25;
    private static final int CHUNK_RECORD = 9 + 4 + D;

    @TempDir
    Path dir;

    private byte[] written(int chunks) throws IOException {
        Path file = dir.resolve("big.side");
        byte[] hashes = new byte[chunks * D];
        Arrays.fill(hashes, (byte) 7);
        try (PartialSidecar s = Sidecars.create(file, VERSION)) {
            for (int i = 0; i < chunks; i++) {
                s.chunk(i, hashes, i * D);
            }
            s.sync(false);
        }
        return Files.readAllBytes(file);
    }

    private PartialSidecar.Contents read(byte[] bytes) throws IOException {
        return Sidecars.read(Files.write(dir.resolve("read.side"), bytes));
    }

    @Test
    void theFileIsAHeaderOfFormatVersion2ThenTheVersionThenOneRecordPerChunk() throws IOException {
        byte[] b = written(3);

        assertThat(b).hasSize(VERSION_END + 3 * CHUNK_RECORD);
        assertThat(Arrays.copyOf(b, 8)).containsExactly('F', 'S', 'D', 'C', 0, 2, 0, 0);
        PartialSidecar.Contents c = read(b);
        assertThat(c.version()).isEqualTo(VERSION);
        assertThat(c.chunks()).containsOnlyKeys(0, 1, 2);
        assertThat(c.validLength()).isEqualTo(b.length);
    }

    @Test
    void everyCutKeepsExactlyTheChunkRecordsBeforeItAndSaysWhereTheyEnd() throws IOException {
        byte[] whole = written(4);
        for (int cut = 0; cut < whole.length; cut++) {
            PartialSidecar.Contents c = read(Arrays.copyOf(whole, cut));
            if (cut < VERSION_END) {
                assertThat(c).as("cut at %d, before the VERSION record ends", cut).isNull();
                continue;
            }
            int kept = (cut - VERSION_END) / CHUNK_RECORD;
            assertThat(c.chunks()).as("cut at %d", cut).hasSize(kept);
            assertThat(c.validLength()).as("cut at %d", cut).isEqualTo(VERSION_END + (long) kept * CHUNK_RECORD);
        }
    }

    @Test
    void aDamagedChunkRecordEndsTheValidPartJustBeforeIt() throws IOException {
        byte[] b = written(4);
        int third = VERSION_END + 2 * CHUNK_RECORD;
        b[third + 9 + 5] ^= 0x20;

        PartialSidecar.Contents c = read(b);

        assertThat(c.chunks()).containsOnlyKeys(0, 1);
        assertThat(c.validLength()).isEqualTo(third);
    }

    @Test
    void anotherFormatVersionOrMagicIsNoSidecar() throws IOException {
        byte[] v1 = written(1);
        v1[5] = 1;
        assertThat(read(v1)).isNull();
        byte[] foreign = written(1);
        foreign[0] = 'X';
        assertThat(read(foreign)).isNull();
        assertThat(Sidecars.read(dir.resolve("missing.side"))).isNull();
    }
}
