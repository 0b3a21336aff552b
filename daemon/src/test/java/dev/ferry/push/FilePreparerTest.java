package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small file is read whole between the listing's stat and one after the read; what changed since is read again. */
class FilePreparerTest {
    static final int CHUNK = 64 * 1024;
    static final int INLINE = 64 * 1024;

    @TempDir
    Path tmp;

    private final FilePreparer preparer = new FilePreparer(HashAlgorithm.XXH3_128, CHUNK, INLINE, DigestCache.NONE);

    @Test
    void aSmallFileAsListedIsReadWhole() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("a.bin"), 5000, 1);
        SourceEntry listed = SourceEntry.of(file, "a.bin");

        FilePreparer.Ready ready = preparer.prepare(listed, null, true);

        assertThat(ready.entry()).isEqualTo(listed);
        assertThat(ready.content()).isEqualTo(Files.readAllBytes(file));
        assertThat(ready.digest()).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(file));
    }

    @Test
    void aSmallFileChangedSinceItWasListedIsSentAsItIsNow() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("a.bin"), 5000, 1);
        SourceEntry listed = SourceEntry.of(file, "a.bin");
        Trees.randomFile(file, 7000, 2);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(1_000_000));

        FilePreparer.Ready ready = preparer.prepare(listed, null, true);

        assertThat(ready.entry()).isEqualTo(SourceEntry.of(file, "a.bin"));
        assertThat(ready.entry().size()).isEqualTo(7000);
        assertThat(ready.content()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aSmallFileThatGrewPastTheInlineSizeIsHashedNotInlined() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("a.bin"), 5000, 1);
        SourceEntry listed = SourceEntry.of(file, "a.bin");
        Trees.randomFile(file, 3 * CHUNK, 3);

        FilePreparer.Ready ready = preparer.prepare(listed, null, true);

        assertThat(ready.content()).isNull();
        assertThat(ready.entry().size()).isEqualTo(3 * CHUNK);
        assertThat(ready.digest()).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(file));
    }

    @Test
    void aSmallFileTheReceiverMayHoldIsHashedNotInlined() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("a.bin"), 5000, 1);
        SourceEntry listed = SourceEntry.of(file, "a.bin");

        FilePreparer.Ready ready = preparer.prepare(listed, null, false);

        assertThat(ready.content()).isNull();
        assertThat(ready.entry()).isEqualTo(listed);
        assertThat(ready.digest()).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(file));
    }
}
