package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.receive.Receiver;
import dev.ferry.testing.Exec;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry push} against {@code rsync -a}: a real receiver on 127.0.0.1, real trees with symlinks of every kind,
 * modes and mtimes, compared entry by entry (type, mode, mtime to the nanosecond, symlink text, content) with what
 * rsync made of the same tree; then {@code --delete}, {@code --exclude}, replacements of one kind by another, the
 * trash, and a symlink planted on the receiver.
 */
class PushParityTest extends InProcessPushTest {
    private static final Path RSYNC = Path.of("/usr/bin/rsync");

    PushParityTest() {
        super("push-parity-token-0123456789");
    }

    private static void rsync(String... args) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(RSYNC), "rsync is not installed at " + RSYNC + ": no comparison with it");
        List<String> cmd = new ArrayList<>(List.of(RSYNC.toString()));
        cmd.addAll(List.of(args));
        Exec.Result r = Exec.run(Duration.ofSeconds(60), cmd);
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /** Sets a symlink's own mtime (never the target's). */
    private static void linkTime(Path link, String instant) throws IOException {
        FileTime t = FileTime.from(Instant.parse(instant));
        Files.getFileAttributeView(link, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, null, null);
    }

    /**
     * Gives every entry below {@code root} (symlinks themselves, directories after their contents) a distinct mtime
     * in 2020, to the nanosecond: rsync leaves alone an mtime within the second it would set (a link or directory it
     * just made keeps the time of its making), so a tree made in the current second would not compare.
     */
    static void ageAll(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(p -> !p.equals(root)).sorted((x, y) -> y.compareTo(x)).toList(); // children first
        }
        Instant t = Instant.parse("2020-06-01T00:00:00Z");
        for (Path p : all) {
            t = t.plusSeconds(3).plusNanos(123_457);
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(t), null, null);
        }
    }

    /**
     * Every entry below {@code root} (the root and {@code .ferry/} left out) as one line: kind, permission bits (not
     * for symlinks: always 0777 on Linux), mtime to the nanosecond, and the symlink's text or the file's SHA-256.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                if (rel.equals(".ferry") || rel.startsWith(".ferry/")) {
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                String mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().toString();
                int mode = (Integer) a.get("mode") & 07777;
                if (Files.isSymbolicLink(p)) {
                    m.put(rel, "symlink " + mtime + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    m.put(rel, "dir " + Integer.toOctalString(mode) + " " + mtime);
                } else {
                    m.put(rel, "file " + Integer.toOctalString(mode) + " " + mtime + " " + sha256(Files.readAllBytes(p)));
                }
            }
        }
        return m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Nested directories with their own modes and mtimes, files of several modes and sizes, a name with a space and
     * one not in ASCII, and symlinks: relative, relative up a level, to a directory, dangling, absolute.
     */
    private void buildTree() throws IOException {
        Trees.randomFile(source.resolve("top.txt"), 300, 1);
        Files.write(source.resolve("zero.bin"), new byte[0]);
        Trees.randomFile(source.resolve("a/b/c/deep.txt"), 5000, 2);
        Trees.randomFile(source.resolve("a/b/big.bin"), 3 * 1024 * 1024 + 7, 3);
        Trees.randomFile(source.resolve("a/with space/ünï.txt"), 77, 4);
        Files.createDirectories(source.resolve("empty"));
        Trees.mode(Trees.randomFile(source.resolve("a/run.sh"), 100, 5), "rwxr-x---");
        Trees.mode(source.resolve("zero.bin"), "rw-------");
        Trees.mode(source.resolve("a/b"), "rwx------");
        Trees.mode(source.resolve("a/with space"), "rwxr-x---");
        Files.createSymbolicLink(source.resolve("a/rel"), Path.of("b/c/deep.txt"));
        Files.createSymbolicLink(source.resolve("a/b/up"), Path.of("../../top.txt"));
        Files.createSymbolicLink(source.resolve("todir"), Path.of("a/b"));
        Files.createSymbolicLink(source.resolve("a/dangling"), Path.of("no/such/file"));
        Files.createSymbolicLink(source.resolve("abs"), Path.of("/etc/hostname"));
        ageAll(source);
        linkTime(source.resolve("a/rel"), "2011-01-01T01:01:01.5Z");
        linkTime(source.resolve("todir"), "2012-02-02T02:02:02Z");
        Trees.mtime(source.resolve("a/b/c/deep.txt"), "2001-02-03T04:05:06.123456789Z");
        Trees.mtime(source.resolve("a/b/c"), "2002-01-01T00:00:00.000000001Z");
        Trees.mtime(source.resolve("empty"), "2003-03-03T03:03:03Z");
        Trees.mtime(source.resolve("a/b"), "2004-04-04T04:04:04Z"); // (after its last entry was made)
        Trees.mtime(source.resolve("a"), "2005-05-05T05:05:05Z");
    }

    @Test
    void aTreeWithSymlinksArrivesAsRsyncMakesItButTheAbsoluteLinkTheReceiverRefuses() throws IOException {
        buildTree();
        Path viaRsync = Files.createDirectories(tmp.resolve("rsync"));
        rsync("-a", source + "/", viaRsync + "/");

        assertThat(push()).as(stdio.allErr()).isEqualTo(1);

        Map<String, String> expected = snapshot(viaRsync);
        assertThat(expected).as("rsync -a copies the tree as it is").isEqualTo(snapshot(source));
        assertThat(expected.get("abs")).endsWith(" -> /etc/hostname");
        expected.remove("abs");
        assertThat(snapshot(target)).isEqualTo(expected);
        assertThat(stdio.ferryErr()).isEqualTo("ferry: failed abs: refused path: symlink 'abs' -> '/etc/hostname' points"
                + " outside the folder (BAD_PATH)\n");
        assertThat(summary()).isEqualTo("ferry: pushed 6 files (0 unchanged), 4 symlinks (0 unchanged), 5 directories, 0 deleted, 0 excluded");
    }

    @Test
    void aTreeWithoutAbsoluteLinksIsIdenticalToRsyncsAndARepushChangesNothing() throws IOException {
        buildTree();
        Files.delete(source.resolve("abs"));
        Path viaRsync = Files.createDirectories(tmp.resolve("rsync"));
        rsync("-a", source + "/", viaRsync + "/");

        assertThat(push()).as(stdio.allErr()).isZero();
        assertThat(snapshot(target)).isEqualTo(snapshot(viaRsync));

        stdio.resetOut();
        assertThat(push()).as(stdio.allErr()).isZero();
        assertThat(snapshot(target)).isEqualTo(snapshot(viaRsync));
        assertThat(summary()).isEqualTo("ferry: pushed 0 files (6 unchanged), 0 symlinks (4 unchanged), 5 directories, 0 deleted, 0 excluded");
    }

    @Test
    void aSymlinkReplacesAFileAndADirectoryAndIsReplacedByEach() throws IOException {
        Files.writeString(source.resolve("was-file"), "file");
        Trees.randomFile(source.resolve("was-dir/inside/x.txt"), 10, 1);
        Files.createSymbolicLink(source.resolve("becomes-dir"), Path.of("was-file"));
        Files.createSymbolicLink(source.resolve("becomes-file"), Path.of("was-dir"));
        ageAll(source);
        assertThat(push()).as(stdio.allErr()).isZero();
        assertThat(snapshot(target)).isEqualTo(snapshot(source));

        Files.delete(source.resolve("was-file"));
        Files.createSymbolicLink(source.resolve("was-file"), Path.of("becomes-file"));
        Files.walk(source.resolve("was-dir")).sorted((x, y) -> y.compareTo(x)).forEach(p -> p.toFile().delete());
        Files.createSymbolicLink(source.resolve("was-dir"), Path.of("becomes-dir"));
        Files.delete(source.resolve("becomes-dir"));
        Trees.randomFile(source.resolve("becomes-dir/y.txt"), 20, 2);
        Files.delete(source.resolve("becomes-file"));
        Files.writeString(source.resolve("becomes-file"), "now a file");
        ageAll(source);
        stdio.resetOut();

        assertThat(push()).as(stdio.allErr()).isZero();

        assertThat(snapshot(target)).isEqualTo(snapshot(source));
        assertThat(summary()).isEqualTo("ferry: pushed 2 files (0 unchanged), 2 symlinks (0 unchanged), 1 directory, 4 replaced, 0 deleted,"
                + " 0 excluded");
        Path viaRsync = Files.createDirectories(tmp.resolve("rsync"));
        rsync("-a", source + "/", viaRsync + "/");
        assertThat(snapshot(target)).isEqualTo(snapshot(viaRsync));
    }

    @Test
    void deleteRemovesExactlyWhatTheSourceLostAndNothingWithoutIt() throws IOException {
        Trees.randomFile(source.resolve("keep.txt"), 10, 1);
        Trees.randomFile(source.resolve("gone.txt"), 10, 2);
        Trees.randomFile(source.resolve("d/gone-dir/x.txt"), 10, 3);
        Trees.randomFile(source.resolve("d/stays.txt"), 10, 4);
        Files.createSymbolicLink(source.resolve("gone-link"), Path.of("keep.txt"));
        assertThat(push()).isZero();
        Files.writeString(target.resolve("only-on-receiver.txt"), "made there");
        Files.delete(source.resolve("gone.txt"));
        Files.delete(source.resolve("gone-link"));
        Files.delete(source.resolve("d/gone-dir/x.txt"));
        Files.delete(source.resolve("d/gone-dir"));
        ageAll(source);
        Map<String, String> before = snapshot(target);

        stdio.resetOut();
        assertThat(push()).isZero();
        assertThat(snapshot(target).keySet()).as("no --delete: nothing removed").isEqualTo(before.keySet());

        Path viaRsync = Files.createDirectories(tmp.resolve("rsync"));
        rsync("-a", target + "/", viaRsync + "/", "--exclude", "/.ferry/");
        rsync("-a", "--delete", source + "/", viaRsync + "/");
        stdio.resetOut();
        assertThat(push("--delete")).as(stdio.allErr()).isZero();

        assertThat(snapshot(target)).isEqualTo(snapshot(source)).isEqualTo(snapshot(viaRsync));
        assertThat(summary()).isEqualTo("ferry: pushed 0 files (2 unchanged), 0 symlinks (0 unchanged), 1 directory, 4 deleted, 0 excluded");
        assertThat(target.resolve(".ferry")).as("the receiver's own folder is never deleted").isDirectory();
    }

    @Test
    void deleteStaysInsideThePushedSubdirAndMovesIntoTheTrashWhenTheFolderKeepsOne() throws IOException {
        Path trashed = Files.createDirectories(tmp.resolve("trashed"));
        try (Receiver r = Receiver.start(Loopback.receiverSettings(token, Map.of("f", trashed)).withTrash(Duration.ofDays(7)))) {
            Trees.randomFile(source.resolve("keep.txt"), 10, 1);
            byte[] old = Files.readAllBytes(Trees.randomFile(source.resolve("sub/old.txt"), 10, 2));
            assertThat(push(r, source + "/", "/into")).isZero();
            Files.writeString(trashed.resolve("outside.txt"), "beside the pushed subdir");
            Files.delete(source.resolve("sub/old.txt"));
            Files.delete(source.resolve("sub"));

            stdio.resetOut();
            assertThat(push(r, source + "/", "/into", "--delete")).as(stdio.allErr()).isZero();

            assertThat(snapshot(trashed).keySet()).containsExactly("into", "into/keep.txt", "outside.txt");
            assertThat(summary()).isEqualTo("ferry: pushed 0 files (1 unchanged), 0 symlinks (0 unchanged), 1 directory, 1 deleted, 0 excluded");
            try (Stream<Path> days = Files.list(trashed.resolve(".ferry/trash"))) {
                Path day = days.findFirst().orElseThrow();
                assertThat(day.resolve("into/sub/old.txt")).hasBinaryContent(old);
            }
        }
    }

    @Test
    void excludedPathsAreNeitherSentNorDeleted() throws IOException {
        Trees.randomFile(source.resolve("keep.txt"), 10, 1);
        Trees.randomFile(source.resolve("x.tmp"), 10, 2);
        Trees.randomFile(source.resolve("d/y.tmp"), 10, 3);
        Trees.randomFile(source.resolve("cache/big.bin"), 100_000, 4);
        Trees.randomFile(source.resolve("build/out/a.o"), 10, 5);
        Trees.randomFile(source.resolve("other/build/out/b.o"), 10, 6);
        Files.createDirectories(target.resolve("cache"));
        Files.writeString(target.resolve("cache/receivers-own"), "not in the source, protected by the exclude");
        Files.writeString(target.resolve("z.tmp"), "protected too");
        Files.writeString(target.resolve("unprotected.txt"), "deleted");

        assertThat(push("--delete", "--exclude", "*.tmp", "--exclude", "cache/", "--exclude", "build/out"))
                .as(stdio.allErr()).isZero();

        assertThat(snapshot(target).keySet()).containsExactly("build", "cache", "cache/receivers-own", "d", "keep.txt",
                "other", "other/build", "other/build/out", "other/build/out/b.o", "z.tmp");
        assertThat(summary()).isEqualTo("ferry: pushed 2 files (0 unchanged), 0 symlinks (0 unchanged), 5 directories, 1 deleted, 4 excluded");
        assertThat(receiver.stats().snapshot().chunksReceived()).as("nothing of an excluded file crossed").isEqualTo(2);
    }

    @Test
    void aSymlinkPlantedOnTheReceiverNeverLeadsAWriteOutsideTheFolder() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "must stay");
        Files.createSymbolicLink(target.resolve("docs"), outside); // where the pushed tree has a directory
        Files.createSymbolicLink(target.resolve("into"), outside); // the destination the push names
        Trees.randomFile(source.resolve("docs/secret.txt"), 50, 1);

        assertThat(push()).as(stdio.allErr()).isZero();
        assertThat(Files.isDirectory(target.resolve("docs"), LinkOption.NOFOLLOW_LINKS)).as("the link was replaced").isTrue();
        assertThat(Files.readAllBytes(target.resolve("docs/secret.txt"))).isEqualTo(Files.readAllBytes(source.resolve("docs/secret.txt")));

        stdio.resetOut();
        assertThat(push(receiver, source + "/", "/into", "--delete")).isEqualTo(1);

        assertThat(stdio.ferryErr()).contains("through a symlink");
        assertThat(Files.isSymbolicLink(target.resolve("into"))).as("the named destination is never replaced").isTrue();
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
        }
        assertThat(outside.resolve("secret.txt")).hasContent("must stay");
    }

    @Test
    void aSymlinkNamedAsSourceIsPushedAsALinkAndWithATrailingSlashItsDirectorysContentsAre() throws IOException {
        Trees.randomFile(source.resolve("real/f.txt"), 10, 1);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), source.resolve("real"));

        assertThat(push(receiver, link.toString(), "/as-link")).as(stdio.allErr()).isEqualTo(1);
        assertThat(stdio.ferryErr()).as("an absolute link, refused").contains("failed as-link/link: refused path");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("source/real"));
        assertThat(push(receiver, link.toString(), "/as-link")).as(stdio.allErr()).isZero();
        assertThat(Files.readSymbolicLink(target.resolve("as-link/link"))).isEqualTo(Path.of("source/real"));

        assertThat(push(receiver, link + "/", "/followed")).as(stdio.allErr()).isZero();
        assertThat(target.resolve("followed/f.txt")).hasSameBinaryContentAs(source.resolve("real/f.txt"));
    }
}
