package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashAheadTest {
    static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void hashesTheWholeFileAsTheHasherDoesAndHandsOutEachChunkOnceItIsThere() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 10 * CHUNK + 123, 1);
        SourceEntry entry = SourceEntry.of(file, "f.bin");
        HashAhead ahead = new HashAhead(entry, HashAlgorithm.XXH3_128, CHUNK);
        byte[] h = new byte[16];
        assertThat(ahead.hashOf(0, h)).as("nothing before it ran").isFalse();

        FileDigest digest = ahead.run();

        assertThat(digest).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(file));
        for (int i = 0; i < digest.chunkCount(); i++) {
            assertThat(ahead.hashOf(i, h)).isTrue();
            assertThat(digest.chunkEquals(i, h, 0)).isTrue();
        }
    }

    @Test
    void stoppedItReturnsNothing() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 4 * CHUNK, 2);
        HashAhead ahead = new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK);
        ahead.stop();
        assertThat(ahead.run()).isNull();
    }

    @Test
    void aFileThatShrankSinceItWasListedIsAnError() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 4 * CHUNK, 3);
        HashAhead ahead = new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(3 * CHUNK - 1);
        }
        assertThatThrownBy(ahead::run).isInstanceOf(IOException.class)
                .hasMessage(file + " changed while being read: ended at " + (3 * CHUNK - 1) + " bytes, expected " + 3 * CHUNK);
    }
}
