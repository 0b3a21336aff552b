package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both resolutions (openat2, and the per-segment fallback) behave the same, and neither leaves the root. */
class BeneathTest {
    @TempDir
    Path tmp;

    private Path root() throws Exception {
        return Files.createDirectories(tmp.resolve("root")).toRealPath();
    }

    private Path outside() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(out.resolve("secret"), "outside");
        return out.toRealPath();
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void writesReadsAndSetsMetadataThroughTheDescriptor(Beneath.Resolution r) throws Exception {
        Path root = root();
        try (Beneath b = Beneath.open(root, r)) {
            b.mkdirs("a/b");
            try (FdChannel ch = b.openFile("a/b/f", Beneath.Access.CREATE_EMPTY)) {
                ch.write(ByteBuffer.wrap("hello world".getBytes(StandardCharsets.UTF_8)), 0);
                ch.write(ByteBuffer.allocateDirect(3).put("!!!".getBytes(StandardCharsets.UTF_8)).flip(), 11);
                ch.force(true);
                assertThat(ch.size()).isEqualTo(14);
                ch.truncate(5);
                ch.setMode(0640);
                ch.setMtime(1_700_000_000L, 123_456_789);
            }
            assertThat(Files.readString(root.resolve("a/b/f"))).isEqualTo("hello");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("a/b/f")))).isEqualTo("rw-r-----");
            assertThat(Files.getLastModifiedTime(root.resolve("a/b/f")))
                    .isEqualTo(FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
            Stat s = b.stat("a/b/f");
            assertThat(s.kind()).isEqualTo(Stat.Kind.FILE);
            assertThat(s.size()).isEqualTo(5);
            assertThat(s.mode()).isEqualTo(0640);
            assertThat(b.stat("a/b/none")).isNull();
            assertThat(b.stat("a").kind()).isEqualTo(Stat.Kind.DIRECTORY);
            try (FdChannel ch = b.openFile("a/b/f", Beneath.Access.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(10);
                assertThat(ch.read(buf, 0)).isEqualTo(5);
                assertThat(new String(buf.array(), 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
                assertThat(ch.read(ByteBuffer.allocate(1), 5)).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void refusesASymlinkAnywhereOnThePath(Beneath.Resolution r) throws Exception {
        Path root = root();
        Path outside = outside();
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createSymbolicLink(root.resolve("filelink"), outside.resolve("secret"));
        try (Beneath b = Beneath.open(root, r)) {
            assertThatThrownBy(() -> b.openFile("link/secret", Beneath.Access.READ))
                    .isInstanceOf(NotBeneathException.class).hasMessage("link/secret: goes through a symlink or leaves the folder");
            assertThatThrownBy(() -> b.openFile("link/new", Beneath.Access.CREATE_EMPTY)).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.openFile("filelink", Beneath.Access.CREATE_EMPTY)).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.mkdirs("link/x/y")).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.rename("link/secret", "stolen", true)).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.deleteFile("link/secret")).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.setModeAndMtime("filelink", 0777, 1, 0)).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.symlink("x", "link/planted")).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.openFile("../outside/secret", Beneath.Access.READ)).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.openFile(outside.resolve("secret").toString(), Beneath.Access.READ))
                    .isInstanceOf(NotBeneathException.class);
            b.deleteTree("link"); // removes the link, not what it points to
        }
        assertThat(Files.exists(root.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("outside");
        assertThat(Files.getPosixFilePermissions(outside.resolve("secret")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        try (var entries = Files.list(outside)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("secret");
        }
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void renamesLinksDeletesTreesAndWalks(Beneath.Resolution r) throws Exception {
        Path root = root();
        Path outside = outside();
        Files.createDirectories(root.resolve("d/e"));
        Files.writeString(root.resolve("d/e/f"), "f");
        Files.writeString(root.resolve("d/g"), "g");
        Files.createSymbolicLink(root.resolve("d/out"), outside);
        try (Beneath b = Beneath.open(root, r)) {
            b.symlink("e/f", "d/l");
            assertThat(b.readlink("d/l")).isEqualTo("e/f");
            b.setMtimeNoFollow("d/l", 1_000, 0);
            List<String> seen = new ArrayList<>();
            b.walk("", (rel, stat, target) -> {
                seen.add(rel + ":" + stat.kind() + (target.isEmpty() ? "" : "->" + target));
                return true;
            });
            assertThat(seen).containsExactlyInAnyOrder("d:DIRECTORY", "d/e:DIRECTORY", "d/e/f:FILE", "d/g:FILE",
                    "d/out:SYMLINK->" + outside, "d/l:SYMLINK->e/f");
            b.link("d/g", "g2");
            assertThatThrownBy(() -> b.rename("d/g", "g2", false)).isInstanceOf(FileAlreadyExistsException.class);
            b.rename("d/g", "g2", true);
            assertThat(Files.readString(root.resolve("g2"))).isEqualTo("g");
            assertThatThrownBy(() -> b.mkdirs("g2/x")).isInstanceOf(NotDirectoryException.class);
            assertThatThrownBy(() -> b.rename("none", "x", true)).isInstanceOf(NoSuchFileException.class);
            assertThat(b.mkdir("d/new")).isTrue();
            assertThat(b.mkdir("d/new")).isFalse();
            b.deleteTree("d");
            b.fsyncDir("");
            assertThat(b.deleteFile("d")).isFalse();
        }
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly("g2");
        }
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("outside");
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void copiesBetweenChannelsInTheKernel(Beneath.Resolution r) throws Exception {
        Path root = root();
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        Files.write(root.resolve("src"), data);
        try (Beneath b = Beneath.open(root, r);
             FdChannel in = b.openFile("src", Beneath.Access.READ);
             FdChannel out = b.openFile("dst", Beneath.Access.CREATE_EMPTY)) {
            long done = 0;
            while (done < 200_000) {
                done += in.transferTo(100_000 + done, 200_000 - done, out.position(50_000 + done));
            }
        }
        byte[] copied = Files.readAllBytes(root.resolve("dst"));
        assertThat(copied).hasSize(250_000);
        assertThat(java.util.Arrays.copyOfRange(copied, 50_000, 250_000)).isEqualTo(java.util.Arrays.copyOfRange(data, 100_000, 300_000));
    }

    @org.junit.jupiter.api.Test
    void thisKernelHasOpenat2() {
        assertThat(Beneath.openat2Available()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void createEmptyMakesANewFileEmptiesAnOldOneAndRefusesWhatIsNoRegularFile(Beneath.Resolution r) throws Exception {
        Path root = root();
        Files.writeString(root.resolve("old"), "old content");
        Files.createDirectory(root.resolve("dir"));
        assertThat(new ProcessBuilder("mkfifo", root.resolve("fifo").toString()).start().waitFor()).isZero();
        try (Beneath b = Beneath.open(root, r)) {
            try (FdChannel ch = b.openFile("new", Beneath.Access.CREATE_EMPTY)) {
                assertThat(ch.size()).isZero();
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("new")))).isEqualTo("rw-------");
            try (FdChannel ch = b.openFile("old", Beneath.Access.CREATE_EMPTY)) {
                assertThat(ch.size()).isZero();
            }
            assertThat(Files.size(root.resolve("old"))).isZero();
            assertThatThrownBy(() -> b.openFile("fifo", Beneath.Access.CREATE_EMPTY))
                    .isInstanceOf(java.nio.file.FileSystemException.class).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> b.openFile("dir", Beneath.Access.CREATE_EMPTY))
                    .isInstanceOf(java.nio.file.FileSystemException.class);
            assertThat(Files.isDirectory(root.resolve("dir"))).isTrue();
        }
    }
}
