package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.disk.Beneath;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HeldHashes}: what is kept is found only for the very file, and expire keeps only what still matches. */
class HeldHashesExpireTest {
    private static final int CHUNK = 1 << 20;
    @TempDir
    Path root;

    @Test
    void keptListsAreFoundForTheSameFileOnlyAndExpireDropsTheRest() throws IOException {
        Path kept = Trees.randomFile(root.resolve("a/kept.bin"), 9 * CHUNK, 1);
        Path changed = Trees.randomFile(root.resolve("changed.bin"), 9 * CHUNK, 2);
        Path deleted = Trees.randomFile(root.resolve("deleted.bin"), 9 * CHUNK + 1, 3);
        Path small = Trees.randomFile(root.resolve("small.bin"), CHUNK, 4);
        try (Beneath folder = Beneath.open(root)) {
            HeldHashes held = new HeldHashes(folder);
            for (String p : new String[] {"a/kept.bin", "changed.bin", "deleted.bin", "small.bin"}) {
                FileDigest d = new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(root.resolve(p));
                held.keep(p, d.algorithm(), d.chunkSize(), d.chunkHashes());
            }
            assertThat(Files.list(root.resolve(HeldHashes.DIR)).count()).as("no entry for a small file").isEqualTo(3);
            FileDigest expected = new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(kept);
            assertThat(held.find("a/kept.bin", folder.stat("a/kept.bin"), HashAlgorithm.XXH3_128, CHUNK))
                    .isEqualTo(expected);
            assertThat(held.find("a/kept.bin", folder.stat("a/kept.bin"), HashAlgorithm.XXH3_128, CHUNK / 2))
                    .as("another chunking").isNull();
            assertThat(held.find("changed.bin", folder.stat("a/kept.bin"), HashAlgorithm.XXH3_128, CHUNK))
                    .as("another file's stamp").isNull();

            FileTime mtime = Files.getLastModifiedTime(changed);
            Files.write(changed, new byte[9 * CHUNK]); // same size as before, other bytes, mtime put back
            Files.setLastModifiedTime(changed, mtime);
            Files.delete(deleted);
            Path stray = Files.writeString(root.resolve(HeldHashes.DIR + "/x.digest.tmp"), "half");
            Files.setLastModifiedTime(stray, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));

            assertThat(held.find("changed.bin", folder.stat("changed.bin"), HashAlgorithm.XXH3_128, CHUNK)).isNull();
            assertThat(held.expire(Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(2);

            try (var s = Files.list(root.resolve(HeldHashes.DIR))) {
                assertThat(s.map(p -> p.getFileName().toString()))
                        .containsExactly(HeldHashes.entryOf("a/kept.bin", 9L * CHUNK).substring(HeldHashes.DIR.length() + 1));
            }
            assertThat(held.find("a/kept.bin", folder.stat("a/kept.bin"), HashAlgorithm.XXH3_128, CHUNK))
                    .isEqualTo(expected);
        }
    }
}
