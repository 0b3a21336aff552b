package dev.ferry.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.hash.FileHasher;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scanner on an in-memory tree. Every mtime is pinned to {@link #THEN} after each change so that the expected
 * results are exact (no dependence on clock ticks), and the clock stands far later, so no digest is "racy".
 */
class ScannerTest {
    private static final FileTime THEN = FileTime.from(Instant.parse("2024-05-01T10:00:00.123456789Z"));
    private static final InstantSource LATER = InstantSource.fixed(Instant.parse("2030-01-01T00:00:00Z"));
    private static final int CHUNK = 4096;

    private final FileSystem fs = Fixtures.unixFs();
    private final Path root = fs.getPath("/src");
    private final Path indexFile = fs.getPath("/state/index.bin");
    private Predicate<String> ignored = p -> false;

    @AfterEach
    void closeFs() throws IOException {
        fs.close();
    }

    private Scanner scanner() {
        return new Scanner(root, HashAlgorithm.XXH3_128, CHUNK, ignored, LATER);
    }

    private Path write(String path, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.write(p, b);
    }

    /** Sets every mtime in the tree (symlinks' own included) to {@link #THEN}. */
    private void pinTimes() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(THEN, null, null);
            }
        }
    }

    private void tree(int files) throws IOException {
        for (int i = 0; i < files; i++) {
            write("d" + (i % 7) + "/s" + (i % 3) + "/f" + i, 100 + (i * 37) % 9000, i);
        }
        pinTimes();
    }

    @Test
    void restartOnAnUnchangedTreeHashesNothingAndReportsNothing() throws IOException {
        tree(500);
        Scanner first = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        ScanResult initial = first.scan("", index);
        assertThat(first.filesHashed()).isEqualTo(500);
        assertThat(initial.files()).isEqualTo(500);
        assertThat(initial.directories()).isEqualTo(7 + 21);
        assertThat(initial.changed()).hasSize(528);
        index.save();

        Scanner restarted = scanner();
        SourceIndex reloaded = SourceIndex.load(indexFile);
        ScanResult again = restarted.scan("", reloaded);

        assertThat(restarted.filesHashed()).isZero();
        assertThat(again.changed()).isEmpty();
        assertThat(again.removed()).isEmpty();
        assertThat(again.files()).isEqualTo(500);
        assertThat(reloaded.dirty()).isFalse();

        Path touched = write("d3/s1/f10", 5000, 999); // new content, in place
        pinTimes();
        Files.setLastModifiedTime(touched, FileTime.from(Instant.parse("2024-05-02T00:00:00Z")));
        ScanResult afterTouch = restarted.scan("", reloaded);

        assertThat(restarted.filesHashed()).isEqualTo(1);
        assertThat(afterTouch.changed()).containsExactly("d3/s1/f10");
        assertThat(afterTouch.removed()).isEmpty();
        assertThat(reloaded.get("d3/s1/f10").orElseThrow().digest())
                .isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(touched));
    }

    @Test
    void detectsNewAndDeletedFilesAndADeletedDirectoryWithItsContents() throws IOException {
        write("a/keep", 10, 1);
        write("a/old", 10, 2);
        write("b/x", 10, 3);
        write("b/c/y", 10, 4);
        pinTimes();
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner.scan("", index);

        Files.delete(root.resolve("a/old"));
        write("a/new", 20, 5);
        Files.delete(root.resolve("b/c/y"));
        Files.delete(root.resolve("b/c"));
        Files.delete(root.resolve("b/x"));
        Files.delete(root.resolve("b"));
        pinTimes();
        Files.setLastModifiedTime(root.resolve("a"), FileTime.from(Instant.parse("2024-06-01T00:00:00Z")));
        ScanResult r = scanner.scan("", index);

        assertThat(r.changed()).containsExactly("a", "a/new");
        assertThat(r.removed()).containsExactly("a/old", "b", "b/c", "b/c/y", "b/x");
        assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("a", "a/keep", "a/new");
        assertThat(scanner.filesHashed()).isEqualTo(4 + 1);
    }

    @Test
    void detectsAModeChangeWithoutReadingTheFileAgain() throws IOException {
        write("f", 100, 1);
        pinTimes();
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner.scan("", index);
        var digest = index.get("f").orElseThrow().digest();

        Files.setPosixFilePermissions(root.resolve("f"), PosixFilePermissions.fromString("rwxr-x---"));
        ScanResult r = scanner.scan("", index);

        assertThat(r.changed()).containsExactly("f");
        assertThat(index.get("f").orElseThrow().mode()).isEqualTo(0750);
        assertThat(index.get("f").orElseThrow().digest()).isSameAs(digest);
        assertThat(scanner.filesHashed()).isEqualTo(1);
    }

    @Test
    void detectsASymlinkRetargetAndNeverFollowsLinks() throws IOException {
        write("real/f", 10, 1);
        Files.createSymbolicLink(root.resolve("link"), fs.getPath("real"));
        pinTimes();
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        ScanResult first = scanner.scan("", index);
        assertThat(first.changed()).containsExactly("link", "real", "real/f"); // nothing under link/
        assertThat(index.get("link").orElseThrow().linkTarget()).isEqualTo("real");

        Files.delete(root.resolve("link"));
        Files.createSymbolicLink(root.resolve("link"), fs.getPath("/etc/elsewhere"));
        pinTimes();
        ScanResult r = scanner.scan("", index);

        assertThat(r.changed()).containsExactly("link");
        IndexEntry link = index.get("link").orElseThrow();
        assertThat(link.kind()).isEqualTo(EntryKind.SYMLINK);
        assertThat(link.linkTarget()).isEqualTo("/etc/elsewhere");
        assertThat(link.digest()).isNull();
        assertThat(scanner.describe("link/f", null)).as("a path through a symlink is not in the tree").isEmpty();
    }

    @Test
    void ignoredPathsAndTheStateFolderNeverAppear() throws IOException {
        write("keep/a.txt", 10, 1);
        write("keep/a.tmp", 10, 2);
        write("cache/deep/x", 10, 3);
        write(".ferry/partial/y", 10, 4);
        write("sub/.ferry", 10, 5); // only the root's .ferry is ferry's
        pinTimes();
        ignored = p -> p.endsWith(".tmp") || p.equals("cache");
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);

        ScanResult r = scanner.scan("", index);

        assertThat(r.changed()).containsExactly("keep", "keep/a.txt", "sub", "sub/.ferry");
        assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("keep", "keep/a.txt", "sub", "sub/.ferry");
        assertThat(scanner.describe("keep/a.tmp", null)).isEmpty();
        assertThat(scanner.describe("cache/deep/x", null)).isEmpty();
        assertThat(scanner.describe(".ferry/partial/y", null)).isEmpty();
        assertThat(scanner.scan("cache", index).changed()).isEmpty();
        assertThat(scanner.filesHashed()).isEqualTo(2);
    }

    @Test
    void aPathIgnoredLaterLeavesTheIndexWithoutBeingReportedRemoved() throws IOException {
        write("a.tmp", 10, 1);
        write("b", 10, 2);
        pinTimes();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner().scan("", index);

        ignored = p -> p.endsWith(".tmp");
        ScanResult r = scanner().scan("", index);

        assertThat(r.removed()).isEmpty();
        assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("b");
    }

    @Test
    void scanningASubtreeTouchesOnlyThatSubtree() throws IOException {
        write("a/f", 10, 1);
        write("b/g", 10, 2);
        pinTimes();
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner.scan("", index);

        write("a/new", 10, 3);
        write("b/other", 10, 4);
        pinTimes();
        ScanResult r = scanner.scan("a", index);
        assertThat(r.changed()).containsExactly("a/new");
        assertThat(r.files()).isEqualTo(2);
        assertThat(r.directories()).isEqualTo(1);
        assertThat(index.get("b/other")).isEmpty();

        Files.delete(root.resolve("b/g"));
        Files.delete(root.resolve("b/other"));
        Files.delete(root.resolve("b"));
        ScanResult gone = scanner.scan("b", index);
        assertThat(gone.removed()).containsExactly("b", "b/g");
        assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("a", "a/f", "a/new");
    }

    @Test
    void describeReusesTheDigestOnlyForTheSameStatAlgorithmAndChunkSize() throws IOException {
        write("f", 10_000, 1);
        pinTimes();
        Scanner scanner = scanner();
        IndexEntry first = scanner.describe("f", null).orElseThrow();
        assertThat(scanner.filesHashed()).isEqualTo(1);

        assertThat(scanner.describe("f", first)).contains(first);
        assertThat(scanner.filesHashed()).isEqualTo(1);

        Scanner otherChunks = new Scanner(root, HashAlgorithm.XXH3_128, 8192, ignored, LATER);
        assertThat(otherChunks.describe("f", first).orElseThrow().digest().chunkSize()).isEqualTo(8192);
        Scanner otherAlgorithm = new Scanner(root, HashAlgorithm.SHA_256, CHUNK, ignored, LATER);
        assertThat(otherAlgorithm.describe("f", first).orElseThrow().digest().algorithm()).isEqualTo(HashAlgorithm.SHA_256);
        assertThat(otherChunks.filesHashed() + otherAlgorithm.filesHashed()).isEqualTo(2);

        assertThat(scanner.describe("missing", first)).isEmpty();
    }

    @Test
    void aDigestTakenJustAfterTheFileWasWrittenIsCheckedAgainLater() throws IOException {
        write("f", 100, 1);
        pinTimes();
        Instant[] now = {THEN.toInstant().plusMillis(500)};
        Scanner scanner = new Scanner(root, HashAlgorithm.XXH3_128, CHUNK, ignored, () -> now[0]);

        IndexEntry e = scanner.describe("f", null).orElseThrow();
        scanner.describe("f", e); // racy: a same-tick write could hide behind the same stat
        assertThat(scanner.filesHashed()).isEqualTo(2);

        now[0] = THEN.toInstant().plusSeconds(60);
        scanner.describe("f", e);
        assertThat(scanner.filesHashed()).isEqualTo(3);
        scanner.describe("f", e); // hashed well after its mtime: trusted from now on
        assertThat(scanner.filesHashed()).isEqualTo(3);
    }

    /**
     * A clock that rewrites the file (one byte longer each time) when asked the time, for the first {@code writes}
     * times: the hasher asks just before each read, so this is a writer racing the read.
     */
    private InstantSource writerRacing(Path file, int writes) {
        int[] calls = {0};
        return () -> {
            if (calls[0]++ < writes) {
                try {
                    Files.write(file, new byte[200 + calls[0]]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return LATER.instant();
        };
    }

    @Test
    void aFileWrittenWhileHashedIsHashedAgainUntilItHoldsStill() throws IOException {
        Path f = write("f", 100, 1);
        pinTimes();
        Scanner scanner = new Scanner(root, HashAlgorithm.XXH3_128, CHUNK, ignored, writerRacing(f, 1));

        IndexEntry e = scanner.describe("f", null).orElseThrow();

        assertThat(scanner.filesHashed()).isEqualTo(2);
        assertThat(e.size()).isEqualTo(201);
        assertThat(e.digest()).isEqualTo(new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(f));
    }

    @Test
    void aFileThatNeverHoldsStillIsIndexedWithoutADigestAfterThreeReads() throws IOException {
        Path f = write("f", 100, 1);
        pinTimes();
        Scanner scanner = new Scanner(root, HashAlgorithm.XXH3_128, CHUNK, ignored, writerRacing(f, 100));

        IndexEntry e = scanner.describe("f", null).orElseThrow();

        assertThat(scanner.filesHashed()).isEqualTo(3);
        assertThat(e.digest()).isNull();
        assertThat(e.size()).isEqualTo(Files.size(f));
    }

    @Test
    void aMissingRootIsAnErrorNotADeletionOfEverything() throws IOException {
        write("a", 10, 1);
        pinTimes();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner().scan("", index);

        Files.delete(root.resolve("a"));
        Files.delete(root);

        assertThatThrownBy(() -> scanner().scan("", index)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("source root is missing");
        assertThatThrownBy(() -> scanner().scan("a", index)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> scanner().describe("a", index.get("a").orElseThrow()))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(index.get("a")).isPresent();
    }

    @Test
    void aFileReplacedByADirectoryLosesItsDigestAndGainsChildren() throws IOException {
        write("x", 10, 1);
        pinTimes();
        Scanner scanner = scanner();
        SourceIndex index = SourceIndex.load(indexFile);
        scanner.scan("", index);

        Files.delete(root.resolve("x"));
        write("x/inner", 10, 2);
        pinTimes();
        ScanResult r = scanner.scan("", index);

        assertThat(r.changed()).containsExactly("x", "x/inner");
        assertThat(index.get("x").orElseThrow().kind()).isEqualTo(EntryKind.DIRECTORY);
        assertThat(List.copyOf(index.entries())).extracting(IndexEntry::kind)
                .containsExactly(EntryKind.DIRECTORY, EntryKind.FILE);
    }

    @Test
    void aListenerHearsOfEachDirectoryOnceBeforeItsEntriesAndOfEveryEntryFound() throws IOException {
        write("a/one.txt", 10, 1);
        write("a/b/two.txt", 20, 2);
        write("skip.tmp", 5, 3);
        ignored = p -> p.endsWith(".tmp");
        pinTimes();
        java.util.List<String> heard = new java.util.ArrayList<>();

        scanner().scan("", SourceIndex.empty(indexFile), new ScanListener() {
            @Override
            public void listing(String dir) {
                heard.add("list " + dir);
            }

            @Override
            public void found(IndexEntry entry) {
                heard.add("found " + entry.path());
            }
        });

        assertThat(heard).containsExactly("list ", "found a", "list a", "found a/b", "found a/one.txt", "list a/b",
                "found a/b/two.txt");
    }
}
