package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds test trees and compares two trees entry by entry: kind, bytes, mtime (files) and mode. */
public final class Trees {
    private Trees() {
    }

    public static Path randomFile(Path file, int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
        return file;
    }

    public static void mode(Path p, String rwx) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx));
    }

    public static void mtime(Path p, String instant) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(Instant.parse(instant)));
    }

    /** Entries relative to the root, ferry's {@code .ferry/} state folder left out. */
    public static Map<String, Path> list(Path root) {
        Map<String, Path> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                if (!rel.equals(".ferry") && !rel.startsWith(".ferry/")) {
                    m.put(rel, p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Asserts both trees hold the same entries with the same bytes, file mtimes and permission bits. */
    public static void assertIdentical(Path expected, Path actual) throws IOException {
        assertIdenticalExcept(expected, actual, Set.of());
    }

    /** {@link #assertIdentical}, with some relative paths of {@code expected} (not synced ones) left out. */
    public static void assertIdenticalExcept(Path expected, Path actual, Set<String> leftOut) throws IOException {
        Map<String, Path> left = list(expected);
        left.keySet().removeAll(leftOut);
        Map<String, Path> right = list(actual);
        assertThat(right.keySet()).as("entries under %s", actual).containsExactlyElementsOf(left.keySet());
        for (Map.Entry<String, Path> e : left.entrySet()) {
            Path p = e.getValue();
            Path q = right.get(e.getKey());
            assertThat(Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS)).as("kind of %s", e.getKey())
                    .isEqualTo(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(Arrays.equals(Files.readAllBytes(p), Files.readAllBytes(q))).as("bytes of %s", e.getKey()).isTrue();
                assertThat(Files.getLastModifiedTime(q)).as("mtime of %s", e.getKey()).isEqualTo(Files.getLastModifiedTime(p));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(q))).as("mode of %s", e.getKey())
                    .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
    }
}
