package dev.ferry.push;

import dev.ferry.hash.StampedDigest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCacheDirTest {
    static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;
    Path file;
    DigestCacheDir cache;
    FileDigest digest;

    @BeforeEach
    void setUp() throws IOException {
        file = Trees.randomFile(tmp.resolve("src/data.bin"), 5 * CHUNK + 17, 1);
        cache = new DigestCacheDir(tmp.resolve("state/push-digests"), 4);
        digest = new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(file);
    }

    @Test
    void aKeptListIsFoundForTheSameStampAndChunking() throws IOException {
        StampedDigest.Stamp stamp = DigestCache.stamp(file);
        cache.keep(file, stamp, digest);

        assertThat(cache.find(file, stamp, HashAlgorithm.XXH3_128, CHUNK)).isEqualTo(digest);
        assertThat(cache.find(tmp.resolve("src/../src/data.bin"), stamp, HashAlgorithm.XXH3_128, CHUNK))
                .as("the same file by another spelling").isEqualTo(digest);
        assertThat(cache.find(file, stamp, HashAlgorithm.XXH3_128, 2 * CHUNK)).as("other chunking").isNull();
        assertThat(cache.find(file, stamp, HashAlgorithm.SHA_256, CHUNK)).as("other algorithm").isNull();
        assertThat(cache.find(tmp.resolve("src/other.bin"), stamp, HashAlgorithm.XXH3_128, CHUNK)).isNull();
    }

    @Test
    void aFileWrittenAgainHasANewStampEvenWithItsOldSizeAndMtime() throws IOException, InterruptedException {
        StampedDigest.Stamp before = DigestCache.stamp(file);
        cache.keep(file, before, digest);
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[3] ^= 1;
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, mtime); // a user can set the mtime back, not the ctime

        StampedDigest.Stamp after = DigestCache.stamp(file);

        assertThat(after.size()).isEqualTo(before.size());
        assertThat(after.mtimeNanos()).isEqualTo(before.mtimeNanos());
        assertThat(after).isNotEqualTo(before);
        assertThat(cache.find(file, after, HashAlgorithm.XXH3_128, CHUNK)).isNull();
    }

    @Test
    void aDamagedOrCutEntryIsIgnoredAtEveryByte() throws IOException {
        StampedDigest.Stamp stamp = DigestCache.stamp(file);
        cache.keep(file, stamp, digest);
        Path entry = cache.entryOf(file);
        byte[] good = Files.readAllBytes(entry);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(entry, bad);
            assertThat(cache.find(file, stamp, HashAlgorithm.XXH3_128, CHUNK)).as("bit flipped at byte %d", i).isNull();
            Files.write(entry, Arrays.copyOf(good, i));
            assertThat(cache.find(file, stamp, HashAlgorithm.XXH3_128, CHUNK)).as("cut at byte %d", i).isNull();
        }
        assertThat(StampedDigest.decode(ByteBuffer.wrap(good))).isNotNull();
    }

    @Test
    void onlyTheNewestEntriesAreKept() throws IOException {
        Path[] files = new Path[6];
        for (int i = 0; i < files.length; i++) {
            files[i] = Trees.randomFile(tmp.resolve("src/f" + i), 3 * CHUNK, 10 + i);
            cache.keep(files[i], DigestCache.stamp(files[i]), new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(files[i]));
            Files.setLastModifiedTime(cache.entryOf(files[i]), FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
        }

        try (var s = Files.list(cache.dir())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    cache.entryOf(files[2]).getFileName().toString(), cache.entryOf(files[3]).getFileName().toString(),
                    cache.entryOf(files[4]).getFileName().toString(), cache.entryOf(files[5]).getFileName().toString());
        }
    }

    @Test
    void aTemporaryFileLeftByADeadPushIsRemovedOnceItIsAnHourOld() throws IOException {
        Files.createDirectories(cache.dir());
        Path stray = Files.writeString(cache.dir().resolve("abc.digest123.tmp"), "half an entry");
        Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
        Path fresh = Files.writeString(cache.dir().resolve("def.digest456.tmp"), "being written");

        cache.keep(file, DigestCache.stamp(file), digest);

        assertThat(stray).doesNotExist();
        assertThat(fresh).exists();
        assertThat(cache.find(file, DigestCache.stamp(file), HashAlgorithm.XXH3_128, CHUNK)).isEqualTo(digest);
    }

    @Test
    void forgetRemovesTheEntryAndAnUnwritableFolderIsNoError() throws IOException {
        StampedDigest.Stamp stamp = DigestCache.stamp(file);
        cache.keep(file, stamp, digest);
        cache.forget(file);
        assertThat(cache.find(file, stamp, HashAlgorithm.XXH3_128, CHUNK)).isNull();
        cache.forget(file); // twice: nothing to do

        Path notADir = Files.writeString(tmp.resolve("plain-file"), "x");
        DigestCacheDir broken = new DigestCacheDir(notADir.resolve("push-digests"), 4);
        broken.keep(file, stamp, digest); // logged at debug, not thrown
        assertThat(broken.find(file, stamp, HashAlgorithm.XXH3_128, CHUNK)).isNull();
    }
}
