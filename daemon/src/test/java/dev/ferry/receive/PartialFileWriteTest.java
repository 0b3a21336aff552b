package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PartialFile#write} cuts a chunk into pieces of {@link PartialFile#WRITE_PIECE_BYTES}: every byte still lands where it belongs. */
class PartialFileWriteTest {
    @TempDir
    Path dir;

    @Test
    void aChunkOfSeveralPiecesLandsWholeAtItsPositionFromAnyBufferPosition() throws IOException {
        int length = 2 * PartialFile.WRITE_PIECE_BYTES + 17;   // two whole pieces and a short one
        byte[] chunk = new byte[length];
        new Random(3).nextBytes(chunk);
        ByteBuffer direct = ByteBuffer.allocateDirect(length + 10);
        direct.position(5).put(chunk).position(5).limit(5 + length);   // the data sits at buffer position 5

        PartialPaths paths;
        PartialFile file;
        try (dev.ferry.disk.Beneath folder = dev.ferry.disk.Beneath.open(dir)) {
            paths = PartialPaths.of(folder, "a.bin");
            file = PartialFile.fresh(paths, false, null, false);
        }
        try {
            file.write(direct, 1000);
            file.write(ByteBuffer.wrap(new byte[] {9, 9, 9}), 0);
        } finally {
            file.close();
        }

        byte[] onDisk = Files.readAllBytes(paths.dataPath());
        assertThat(onDisk).hasSize(1000 + length);
        assertThat(Arrays.copyOfRange(onDisk, 0, 3)).containsExactly(9, 9, 9);
        assertThat(Arrays.copyOfRange(onDisk, 3, 1000)).containsOnly(0);
        assertThat(Arrays.copyOfRange(onDisk, 1000, 1000 + length)).isEqualTo(chunk);
        assertThat(direct.position()).as("the caller's buffer is left alone").isEqualTo(5);
        assertThat(direct.limit()).isEqualTo(5 + length);
    }
}
