package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A source directory listed with getdents64 and stat'ed with statx: the same facts the JDK's lstat gives. */
class OpenDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void listsEveryNameAndStatsEachWithoutFollowingSymlinks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Path file = Files.write(dir.resolve("f.bin"), new byte[1234]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2024-05-06T07:08:09.123456789Z")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(dir.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("sub"));
        Files.writeString(dir.resolve("naïve ünïcode"), "x");

        Map<String, Stat> seen = new HashMap<>();
        try (OpenDirectory d = OpenDirectory.open(dir, false, "dir")) {
            for (int i = 0; i < d.names().size(); i++) {
                seen.put(d.names().get(i), d.lstat(i));
            }
        }

        assertThat(seen).containsOnlyKeys("f.bin", "sub", "link", "naïve ünïcode");
        Stat f = seen.get("f.bin");
        assertThat(f.kind()).isEqualTo(Stat.Kind.FILE);
        assertThat(f.size()).isEqualTo(1234);
        assertThat(f.mode()).isEqualTo(0640);
        assertThat(f.mtimeSeconds()).isEqualTo(Instant.parse("2024-05-06T07:08:09Z").getEpochSecond());
        assertThat(f.mtimeNanos()).isEqualTo(123_456_789);
        assertThat(f.inode()).isEqualTo(((Number) Files.getAttribute(file, "unix:ino")).longValue());
        assertThat(seen.get("sub").kind()).isEqualTo(Stat.Kind.DIRECTORY);
        assertThat(seen.get("link").kind()).isEqualTo(Stat.Kind.SYMLINK);
        assertThat(seen.get("link").size()).isEqualTo(3);
        assertThat(seen.get("naïve ünïcode").size()).isEqualTo(1);
    }

    @Test
    void anEntryGoneSinceTheListingStatsAsNull() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(dir.resolve("gone"), "x");
        try (OpenDirectory d = OpenDirectory.open(dir, false, "dir")) {
            Files.delete(dir.resolve("gone"));
            assertThat(d.names()).containsExactly("gone");
            assertThat(d.lstat(0)).isNull();
        }
    }

    @Test
    void aSymlinkInPlaceOfTheDirectoryIsNotFollowedUnlessAsked() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.writeString(real.resolve("inside"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

        assertThatThrownBy(() -> OpenDirectory.open(link, false, "link"))
                .isInstanceOf(NotDirectoryException.class).hasMessage("link");
        try (OpenDirectory d = OpenDirectory.open(link, true, "")) {
            assertThat(d.names()).containsExactly("inside");
        }
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void aMissingDirectoryOrAFileFailsAsTheJdkWould() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> OpenDirectory.open(tmp.resolve("missing"), false, "missing"))
                .isInstanceOf(NoSuchFileException.class).hasMessageStartingWith("missing");
        assertThatThrownBy(() -> OpenDirectory.open(file, false, "file"))
                .isInstanceOf(NotDirectoryException.class).hasMessage("file");
    }
}
