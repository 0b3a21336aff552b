package dev.ferry.index;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner on a real disk: real inodes, a real rename, a socket file, the on-disk index. */
class ScannerDiskTest {
    private static final InstantSource LATER = InstantSource.fixed(Instant.parse("2100-01-01T00:00:00Z"));

    @TempDir
    Path tmp;

    private Scanner scanner(Path root) {
        return new Scanner(root, HashAlgorithm.XXH3_128, 4096, p -> false, LATER);
    }

    @Test
    void aRenamedDirectoryIsFoundByInodeAndReKeyedWithoutHashingAgain() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Path photos = Files.createDirectories(root.resolve("photos"));
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[1000 + i];
            new Random(i).nextBytes(b);
            Files.write(photos.resolve("img" + i), b);
        }
        Scanner scanner = scanner(root);
        SourceIndex index = SourceIndex.load(tmp.resolve("state/index.bin"));
        scanner.scan("", index);
        index.save();
        long dirInode = index.get("photos").orElseThrow().inode();
        assertThat(dirInode).isNotZero();
        assertThat(index.byInode(index.get("photos/img7").orElseThrow().inode()))
                .map(IndexEntry::path).contains("photos/img7");

        Files.move(photos, root.resolve("archive"));
        IndexEntry moved = scanner.describe("archive", null).orElseThrow();

        assertThat(scanner.describe("photos", null)).isEmpty();
        assertThat(index.byInode(moved.inode())).map(IndexEntry::path).contains("photos");
        index.renameTree("photos", "archive");
        index.put(moved);
        assertThat(index.under("archive")).hasSize(50);
        assertThat(index.under("photos")).isEmpty();

        long hashedBefore = scanner.filesHashed();
        ScanResult r = scanner.scan("", index);
        assertThat(r.changed()).isEmpty();
        assertThat(r.removed()).isEmpty();
        assertThat(scanner.filesHashed()).isEqualTo(hashedBefore);

        index.save();
        assertThat(SourceIndex.load(index.file()).under("archive")).hasSize(50);
    }

    @Test
    void aRestartOnDiskReadsNoFileAndWritesNoIndex() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        for (int i = 0; i < 200; i++) {
            Path f = root.resolve("d" + (i % 10)).resolve("f" + i);
            Files.createDirectories(f.getParent());
            Files.write(f, new byte[i]);
        }
        Files.createSymbolicLink(root.resolve("link"), Path.of("d1/f1"));
        Path indexFile = tmp.resolve("state/deep/index.bin");
        SourceIndex index = SourceIndex.load(indexFile);
        scanner(root).scan("", index);
        index.save();
        FileTime savedAt = Files.getLastModifiedTime(indexFile);

        Scanner restarted = scanner(root);
        SourceIndex reloaded = SourceIndex.load(indexFile);
        ScanResult r = restarted.scan("", reloaded);
        reloaded.save();

        assertThat(r.changed()).isEmpty();
        assertThat(restarted.filesHashed()).isZero();
        assertThat(reloaded.entries()).containsExactlyElementsOf(index.entries());
        assertThat(Files.getLastModifiedTime(indexFile)).isEqualTo(savedAt);
        assertThat(reloaded.get("link").orElseThrow().linkTarget()).isEqualTo("d1/f1");
    }

    @Test
    void aRestartKeepsTheIndexedEntriesOfWhatDidNotChangeRatherThanRebuildingThem() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Files.write(Files.createDirectories(root.resolve("d")).resolve("f"), new byte[10]);
        Path indexFile = tmp.resolve("state/index.bin");
        SourceIndex index = SourceIndex.load(indexFile);
        scanner(root).scan("", index);
        index.save();

        SourceIndex reloaded = SourceIndex.load(indexFile);
        IndexEntry dir = reloaded.get("d").orElseThrow();
        IndexEntry file = reloaded.get("d/f").orElseThrow();
        List<IndexEntry> found = new ArrayList<>();
        scanner(root).scan("", reloaded, new ScanListener() {
            @Override
            public void found(IndexEntry entry) {
                found.add(entry);
            }
        });

        // the very objects loaded: a restart of 100,000 unchanged paths makes no entry and no Path per path
        assertThat(found).hasSize(2);
        assertThat(found.get(0)).isSameAs(dir);
        assertThat(found.get(1)).isSameAs(file);
        assertThat(reloaded.get("d/f").orElseThrow()).isSameAs(file);
    }

    @Test
    void aDirectorySwappedForASymlinkBetweenItsStatAndItsListingIsNotListedThroughTheLink() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not ours");
        Files.createDirectories(root.resolve("d"));
        SourceIndex index = SourceIndex.empty(tmp.resolve("state/index.bin"));

        ScanResult r = scanner(root).scan("", index, new ScanListener() {
            @Override
            public void listing(String dir) throws IOException {
                if (dir.equals("d")) { // after the walk stat'ed "d" as a directory, before it lists it
                    Files.delete(root.resolve("d"));
                    Files.createSymbolicLink(root.resolve("d"), outside);
                }
            }
        });

        assertThat(index.get("d/secret")).isEmpty();
        assertThat(r.changed()).doesNotContain("d/secret");
    }

    @Test
    void specialFilesAreSkippedAndNamedOnceAtInfo() throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        Files.write(root.resolve("plain"), new byte[3]);
        mkfifo(root.resolve("pipe"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             var log = CapturedLog.quiet(Scanner.class)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("sock")));
            Scanner scanner = scanner(root);
            SourceIndex index = SourceIndex.empty(tmp.resolve("index.bin"));

            ScanResult r = scanner.scan("", index);
            assertThat(scanner.describe("sock", null)).isEmpty();
            assertThat(scanner.describe("pipe", null)).isEmpty();
            ScanResult again = scanner.scan("", index);

            assertThat(r.changed()).containsExactly("plain");
            assertThat(again.changed()).isEmpty();
            assertThat(index.entries()).extracting(IndexEntry::path).containsExactly("plain");
            assertThat(log.infos()).containsExactlyInAnyOrder("pair=" + root + " skipping special file pipe (fifo)",
                    "pair=" + root + " skipping special file sock (socket)");
        }
    }

    @Test
    void pastTheLimitSpecialFilesGoUnnamedWithOneLine() throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("src"));
        List<String> command = new ArrayList<>(List.of("mkfifo"));
        for (int i = 0; i <= Scanner.MAX_SPECIAL_NAMED; i++) {
            command.add(root.resolve("p" + i).toString());
        }
        run(command);
        try (var log = CapturedLog.quiet(Scanner.class)) {
            Scanner scanner = scanner(root);
            SourceIndex index = SourceIndex.empty(tmp.resolve("index.bin"));

            scanner.scan("", index);
            scanner.scan("", index);

            assertThat(index.size()).isZero();
            assertThat(log.infos()).hasSize(Scanner.MAX_SPECIAL_NAMED + 1).doesNotHaveDuplicates()
                    .endsWith("pair=" + root + " skipping more than 10000 special files; the others are not named");
        }
    }

    static void mkfifo(Path p) throws IOException, InterruptedException {
        run(List.of("mkfifo", p.toString()));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command.getFirst()).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command.getFirst(), out).isZero();
    }
}
