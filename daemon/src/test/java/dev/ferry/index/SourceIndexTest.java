package dev.ferry.index;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceIndexTest {
    private final FileSystem fs = Fixtures.unixFs();
    private final Path file = fs.getPath("/state/pair-1/index.bin");

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    private static FileDigest digestOf(int size) {
        byte[] chunks = new byte[FileDigest.chunkCount(size, 4096) * 16];
        new Random(size).nextBytes(chunks);
        return FileDigest.of(HashAlgorithm.XXH3_128, 4096, size, chunks);
    }

    private static List<IndexEntry> everyKind() {
        return List.of(
                IndexEntry.directory("a", 1_700_000_000L, 5, 0755, 11),
                IndexEntry.file("a/hashed", 10_000, 1_700_000_001L, 999_999_999, 0644, 12, digestOf(10_000)),
                IndexEntry.file("a/empty", 0, 1_700_000_002L, 0, 0600, 13, digestOf(0)),
                IndexEntry.file("a/not-hashed", 77, 1_700_000_003L, 1, 07777, 0, null),
                IndexEntry.symlink("a/link", "../elsewhere/ü", 15, 1_700_000_004L, 7, 0777, 14));
    }

    @Test
    void entriesOfEveryKindSurviveSaveAndLoad() throws IOException {
        SourceIndex index = SourceIndex.load(file);
        everyKind().forEach(index::put);

        index.save();
        SourceIndex loaded = SourceIndex.load(file);

        assertThat(loaded.entries()).containsExactlyElementsOf(index.entries());
        assertThat(loaded.size()).isEqualTo(5);
        assertThat(loaded.dirty()).isFalse();
        assertThat(loaded.get("a/hashed").orElseThrow().digest()).isEqualTo(digestOf(10_000));
        assertThat(loaded.byInode(14)).map(IndexEntry::path).contains("a/link");
    }

    @Test
    void randomIndexesSurviveSaveAndLoad() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            List<IndexEntry> entries = Fixtures.randomEntries(seed, 200);
            SourceIndex index = SourceIndex.load(file);
            index.removeTree("");
            entries.forEach(index::put);
            index.save();

            assertThat(SourceIndex.load(file).entries()).as("seed %d", seed).containsExactlyElementsOf(entries);
        }
    }

    @Test
    void aRecordLargerThanTheReadBufferLoadsAndACutInsideItKeepsWhatCameBefore() throws IOException {
        long size = 20_000L * 4096; // 20,000 SHA-256 chunk hashes: a 640 KB record
        Random r = new Random(3);
        byte[] chunks = new byte[20_000 * 32];
        r.nextBytes(chunks);
        IndexEntry big = IndexEntry.file("b/big", size, 5, 0, 0644, 77, FileDigest.of(HashAlgorithm.SHA_256, 4096, size, chunks));
        SourceIndex index = SourceIndex.empty(file);
        index.put(IndexEntry.directory("a", 1, 0, 0755, 1));
        index.put(big);
        index.put(IndexEntry.directory("c", 1, 0, 0755, 2));
        index.save();

        assertThat(SourceIndex.load(file).get("b/big")).contains(big);

        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        try (var log = CapturedLog.quiet(SourceIndex.class)) {
            assertThat(SourceIndex.load(file).entries()).extracting(IndexEntry::path).containsExactly("a");
            assertThat(log.warnings()).singleElement().asString().contains("record length=");
        }
    }

    @Test
    void missingFileLoadsEmptyAndSavingAnUntouchedIndexWritesNothing() throws IOException {
        SourceIndex index = SourceIndex.load(file);
        assertThat(index.size()).isZero();
        assertThat(index.dirty()).isFalse();

        index.save();

        assertThat(Files.exists(file)).isFalse();
    }

    @Test
    void saveCreatesParentFoldersAndPuttingAnEqualEntryLeavesTheIndexClean() throws IOException {
        SourceIndex index = SourceIndex.load(file);
        everyKind().forEach(index::put);
        index.save();
        assertThat(Files.exists(file)).isTrue();

        SourceIndex loaded = SourceIndex.load(file);
        everyKind().forEach(loaded::put);
        assertThat(loaded.dirty()).isFalse();
        Files.delete(file);
        loaded.save(); // clean: must not write
        assertThat(Files.exists(file)).isFalse();

        loaded.remove("a/empty");
        assertThat(loaded.dirty()).isTrue();
        loaded.save();
        assertThat(SourceIndex.load(file).get("a/empty")).isEmpty();
    }

    @Test
    void strayTempFileFromACrashedSaveIsIgnored() throws IOException {
        SourceIndex index = SourceIndex.load(file);
        everyKind().forEach(index::put);
        index.save();
        byte[] complete = Files.readAllBytes(file);
        // a crash mid-save: the new snapshot half written to the temp file, never renamed
        Files.write(IndexFile.tempFile(file), java.util.Arrays.copyOf(complete, complete.length / 2));

        try (var log = CapturedLog.quiet(SourceIndex.class)) {
            SourceIndex loaded = SourceIndex.load(file);
            assertThat(loaded.entries()).containsExactlyElementsOf(everyKind().stream()
                    .sorted(java.util.Comparator.comparing(IndexEntry::path)).toList());
            assertThat(log.warnings()).isEmpty();

            loaded.put(IndexEntry.directory("b", 1, 0, 0700, 99));
            loaded.save();
        }
        assertThat(Files.exists(IndexFile.tempFile(file))).isFalse();
        assertThat(SourceIndex.load(file).get("b")).isPresent();
    }

    @Test
    void underAndRemoveTreeTakeExactlyTheSubtree() {
        SourceIndex index = SourceIndex.empty(file);
        for (String p : List.of("a", "a/b", "a/b/c", "a-b", "a.txt", "a0", "ab", "a/z", "b")) {
            index.put(IndexEntry.directory(p, 1, 0, 0755, 0));
        }

        assertThat(index.under("a")).extracting(IndexEntry::path).containsExactly("a/b", "a/b/c", "a/z");
        assertThat(index.under("")).hasSize(9);
        assertThat(index.under("a/b/c")).isEmpty();

        index.removeTree("a");
        assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("a-b", "a.txt", "a0", "ab", "b");
        index.removeTree("");
        assertThat(index.size()).isZero();
    }

    @Test
    void renameTreeReKeysADirectoryAndEverythingUnderItAndByInodeFindsTheMovedEntry() throws IOException {
        SourceIndex index = SourceIndex.load(file);
        index.put(IndexEntry.directory("photos", 1, 0, 0755, 1000));
        List<IndexEntry> files = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            IndexEntry f = IndexEntry.file("photos/" + (i % 2 == 0 ? "raw/" : "") + "img" + i, 10 + i, 2, 0, 0644,
                    2000 + i, digestOf(10 + i));
            files.add(f);
            index.put(f);
        }
        index.put(IndexEntry.directory("photos/raw", 1, 0, 0755, 1001));
        index.put(IndexEntry.file("photos-old", 1, 1, 0, 0644, 3000, null)); // shares the prefix, not the subtree
        index.put(IndexEntry.file("archive/stale", 1, 1, 0, 0644, 3001, null)); // replaced by the move

        index.renameTree("photos", "archive");

        assertThat(index.get("photos")).isEmpty();
        assertThat(index.under("photos")).isEmpty();
        assertThat(index.get("archive/stale")).isEmpty();
        assertThat(index.get("photos-old")).isPresent();
        assertThat(index.under("archive")).hasSize(51);
        for (IndexEntry f : files) {
            String moved = "archive" + f.path().substring("photos".length());
            assertThat(index.get(moved)).contains(f.withPath(moved));
        }
        assertThat(index.byInode(1000)).map(IndexEntry::path).contains("archive");
        assertThat(index.byInode(2007)).map(IndexEntry::path).contains("archive/img7");
        assertThat(index.byInode(3001)).isEmpty();
        assertThat(index.byInode(0)).isEmpty();

        index.save();
        assertThat(SourceIndex.load(file).under("archive")).hasSize(51);
        assertThatThrownBy(() -> index.renameTree("archive", "archive/raw/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("into itself");
    }

    @Test
    void byInodeFollowsPutsAndRemoves() {
        SourceIndex index = SourceIndex.empty(file);
        index.put(IndexEntry.file("a", 1, 1, 0, 0644, 42, null));
        index.put(IndexEntry.file("a", 1, 1, 0, 0644, 43, null)); // replaced by another file
        assertThat(index.byInode(42)).isEmpty();
        assertThat(index.byInode(43)).map(IndexEntry::path).contains("a");
        index.remove("a");
        assertThat(index.byInode(43)).isEmpty();
    }

    @Test
    void badPathsAndEntriesAreRefusedNamingTheValue() {
        SourceIndex index = SourceIndex.empty(file);
        for (String bad : List.of("", "/a", "a/", "a//b", "./a", "a/../b", "..")) {
            assertThatThrownBy(() -> IndexEntry.directory(bad, 1, 0, 0755, 0))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("path");
        }
        assertThatThrownBy(() -> index.under("a/")).hasMessageContaining("dirPath='a/'");
        assertThatThrownBy(() -> IndexEntry.file("f", 5, 1, 0, 0644, 1, digestOf(6)))
                .hasMessageContaining("digest of 6 bytes").hasMessageContaining("size=5");
        assertThatThrownBy(() -> IndexEntry.file("f", 5, 1, 0, 0100644, 1, null)).hasMessageContaining("mode=0100644");
        assertThatThrownBy(() -> new IndexEntry("l", EntryKind.SYMLINK, 0, 1, 0, 0777, 1, null, null))
                .hasMessageContaining("linkTarget=null");
    }

    @Test
    void sameContentAsComparesKindSizeMtimeAndInodeOnly() {
        IndexEntry a = IndexEntry.file("f", 5, 100, 7, 0644, 9, digestOf(5));
        assertThat(a.sameContentAs(IndexEntry.file("g", 5, 100, 7, 0600, 9, null))).isTrue();
        assertThat(a.sameContentAs(IndexEntry.file("f", 6, 100, 7, 0644, 9, null))).isFalse();
        assertThat(a.sameContentAs(IndexEntry.file("f", 5, 100, 8, 0644, 9, null))).isFalse();
        assertThat(a.sameContentAs(IndexEntry.file("f", 5, 101, 7, 0644, 9, null))).isFalse();
        assertThat(a.sameContentAs(IndexEntry.file("f", 5, 100, 7, 0644, 10, null))).isFalse();
        assertThat(a.sameContentAs(IndexEntry.symlink("f", "x", 5, 100, 7, 0644, 9))).isFalse();
        assertThat(a.sameContentAs(null)).isFalse();
    }

    @Test
    void hundredThousandEntriesSaveAndLoadOnDisk(@TempDir Path dir) throws IOException {
        Path onDisk = dir.resolve("state/index.bin");
        SourceIndex index = SourceIndex.load(onDisk);
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            String path = "dir" + (i / 1000) + "/sub" + (i / 100 % 10) + "/file-" + i + ".jpg";
            long size = 1 + r.nextInt(4096);
            index.put(IndexEntry.file(path, size, 1_700_000_000L + i, r.nextInt(1_000_000_000), 0644, 100_000 + i,
                    Fixtures.digest(new Random(i), size, 4096)));
        }
        long t0 = System.nanoTime();
        index.save();
        long t1 = System.nanoTime();
        SourceIndex loaded = SourceIndex.load(onDisk);
        long t2 = System.nanoTime();
        System.out.printf("100k entries: save %d ms, load %d ms, %d bytes%n", (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, Files.size(onDisk));

        assertThat(loaded.size()).isEqualTo(100_000);
        assertThat(loaded.entries()).containsExactlyElementsOf(index.entries());
        assertThat(loaded.byInode(100_000 + 4242)).map(IndexEntry::path).contains("dir4/sub2/file-4242.jpg");
    }
}
