package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
        HashAhead ahead = new HashAhead(entry, HashAlgorithm.XXH3_128, CHUNK, 1);
        byte[] h = new byte[16];
        assertThat(ahead.hashOf(0, h)).as("nothing before it ran").isFalse();

        FileDigest digest = ahead.run();

        assertThat(digest).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK, 1).hash(file));
        for (int i = 0; i < digest.chunkCount(); i++) {
            assertThat(ahead.hashOf(i, h)).isTrue();
            assertThat(digest.chunkEquals(i, h, 0)).isTrue();
        }
    }

    /** What {@link HashAhead#start} reported. */
    record Reported(FileDigest digest, IOException error) {
    }

    static Reported startAndWait(HashAhead ahead, Semaphore slot, DigestCache digests) throws Exception {
        CompletableFuture<Reported> done = new CompletableFuture<>();
        ahead.start(SessionThreads.VIRTUAL, slot, digests, (d, e) -> done.complete(new Reported(d, e)));
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void startedItKeepsTheListOfAFileThatHeldStillAndGivesTheSlotBack() throws Exception {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 6 * CHUNK + 5, 4);
        DigestCacheDir cache = new DigestCacheDir(tmp.resolve("digests"), 4);
        Semaphore slot = new Semaphore(1);

        Reported r = startAndWait(new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK, 1), slot, cache);

        FileDigest expected = new FileHasher(HashAlgorithm.XXH3_128, CHUNK, 1).hash(file);
        assertThat(r).isEqualTo(new Reported(expected, null));
        assertThat(cache.find(file, DigestCache.stamp(file), HashAlgorithm.XXH3_128, CHUNK)).isEqualTo(expected);
        assertThat(slot.availablePermits()).isEqualTo(1);
    }

    @Test
    void startedItReportsAFileThatChangedSinceItWasListedAndKeepsNothing() throws Exception {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 6 * CHUNK, 5);
        SourceEntry listed = SourceEntry.of(file, "f.bin");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05Z"))); // same size, new mtime
        DigestCacheDir cache = new DigestCacheDir(tmp.resolve("digests"), 4);

        Reported r = startAndWait(new HashAhead(listed, HashAlgorithm.XXH3_128, CHUNK, 1), new Semaphore(1), cache);

        assertThat(r.digest()).isNull();
        assertThat(r.error()).isInstanceOf(HashAhead.Changed.class).hasMessage("it changed while being hashed");
        assertThat(cache.entryOf(file)).doesNotExist();
    }

    @Test
    void startedItReportsAnUnreadableFileAsSuchNotAsChanged() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("not-a-file.bin"));
        SourceEntry listed = SourceEntry.stat(dir, "x", false); // its real size and mtime, listed as a file: reads fail

        Reported r = startAndWait(new HashAhead(listed, HashAlgorithm.XXH3_128, CHUNK, 1), new Semaphore(1), DigestCache.NONE);

        assertThat(r.digest()).isNull();
        assertThat(r.error()).isNotNull().isNotInstanceOf(HashAhead.Changed.class);
    }

    @Test
    void startedItWaitsForItsTurn() throws Exception {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 2 * CHUNK, 6);
        Semaphore slot = new Semaphore(0); // another file is being hashed ahead
        CompletableFuture<Reported> done = new CompletableFuture<>();
        new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK, 1)
                .start(SessionThreads.VIRTUAL, slot, DigestCache.NONE, (d, e) -> done.complete(new Reported(d, e)));

        assertThatThrownBy(() -> done.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        slot.release();
        assertThat(done.get(30, TimeUnit.SECONDS).digest()).isNotNull();
    }

    @Test
    void aFileBelowTheParallelSizeIsReadByOneThread() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 4 * CHUNK, 2);
        assertThat(new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK, 2).slices()).isEqualTo(1);
    }

    @Test
    void stoppedItReturnsNothing() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 4 * CHUNK, 2);
        HashAhead ahead = new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK, 1);
        ahead.stop();
        assertThat(ahead.run()).isNull();
    }

    @Test
    void aFileThatShrankSinceItWasListedIsAnError() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("f.bin"), 4 * CHUNK, 3);
        HashAhead ahead = new HashAhead(SourceEntry.of(file, "f.bin"), HashAlgorithm.XXH3_128, CHUNK, 1);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(3 * CHUNK - 1);
        }
        assertThatThrownBy(ahead::run).isInstanceOf(IOException.class)
                .hasMessage(file + " changed while being read: ended at " + (3 * CHUNK - 1) + " bytes, expected " + 3 * CHUNK);
    }

    @Test
    void aBigFileIsHashedInSlicesToTheSameList() throws Exception {
        Path file = Trees.randomFile(tmp.resolve("big.bin"), (int) FileHasher.PARALLEL_BYTES + 3 * CHUNK + 7, 8);
        FileDigest whole = new FileHasher(HashAlgorithm.XXH3_128, CHUNK, 1).hash(file);
        for (int slices : new int[] {2, 3}) {
            HashAhead ahead = new HashAhead(SourceEntry.of(file, "big.bin"), HashAlgorithm.XXH3_128, CHUNK, slices);
            assertThat(ahead.slices()).isEqualTo(slices);

            Reported r = startAndWait(ahead, new Semaphore(1), DigestCache.NONE);

            assertThat(r.error()).isNull();
            assertThat(r.digest()).as("%d slices", slices).isEqualTo(whole);
            byte[] h = new byte[16];
            for (int i = 0; i < whole.chunkCount(); i++) {
                assertThat(ahead.hashOf(i, h)).isTrue();
                assertThat(whole.chunkEquals(i, h, 0)).isTrue();
            }
        }
    }

    @Test
    void aBigFileThatShrankIntoItsLastSliceIsAnError() throws IOException {
        long size = FileHasher.PARALLEL_BYTES + 4 * CHUNK;
        Path file = Trees.randomFile(tmp.resolve("big.bin"), (int) size, 9);
        HashAhead ahead = new HashAhead(SourceEntry.of(file, "big.bin"), HashAlgorithm.XXH3_128, CHUNK, 2);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size - CHUNK - 1);
        }
        assertThatThrownBy(ahead::run).isInstanceOf(IOException.class)
                .hasMessage(file + " changed while being read: ended at " + (size - CHUNK - 1) + " bytes, expected " + (size - CHUNK));
    }
}
