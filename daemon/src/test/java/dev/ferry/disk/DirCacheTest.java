package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Beneath that keeps the directories it resolved ({@link Beneath#openCachingDirectories}): each is resolved once
 * for its {@link DirCache#MAX_AGE_NS}, taken as it was when resolved, forgotten when the Beneath itself moves or
 * removes it, resolved again where a rename finds it gone, and never holds more than {@link DirCache#MAX_ENTRIES}
 * descriptors.
 */
class DirCacheTest {
    @TempDir
    Path tmp;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private Path root;

    @BeforeEach
    void makeRoot() throws Exception {
        root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f"), "f");
        Files.writeString(root.resolve("p"), "new");
    }

    @Test
    void aDirectoryRenamedBySomeoneElseIsStillFoundWhereItIsUntilItsResolutionIsOld() throws Exception {
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            assertThat(b.stat("a/b/f")).isNotNull();
            Files.move(root.resolve("a/b"), root.resolve("a/c")); // (not through b: b cannot know)

            assertThat(b.stat("a/b/f")).isNotNull(); // the kept descriptor: where a/b was resolved 0 ms ago
            nanos.addAndGet(DirCache.MAX_AGE_NS);
            assertThat(b.stat("a/b/f")).isNull(); // resolved again: nothing at a/b any more
        }
        try (Beneath plain = Beneath.open(root)) {
            assertThat(plain.stat("a/b/f")).isNull(); // (without the cache every call resolves its own)
        }
    }

    @Test
    void forgetDirectoriesResolvesAgainOnTheNextCall() throws Exception {
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            assertThat(b.stat("a/b/f")).isNotNull();
            Files.move(root.resolve("a/b"), root.resolve("a/c"));
            b.forgetDirectories();
            assertThat(b.stat("a/b/f")).isNull();
        }
    }

    @Test
    void whatTheBeneathMovesOrRemovesItselfIsForgottenAtOnce() throws Exception {
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            assertThat(b.stat("a/b/f")).isNotNull();
            b.rename("a", "z", false); // a/b is below what moved
            assertThat(b.stat("a/b/f")).isNull();
            assertThat(b.stat("z/b/f")).isNotNull();

            b.deleteTree("z/b");
            Files.createDirectories(root.resolve("z/b"));
            Files.writeString(root.resolve("z/b/g"), "g");
            assertThat(b.stat("z/b/g")).isNotNull(); // not the removed directory's descriptor
        }
    }

    @Test
    void aRenameIntoADirectoryDeletedAndMadeAgainBySomeoneElseLandsInTheNewOne() throws Exception {
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            assertThat(b.stat("a/b/new")).isNull(); // a/b kept
            Files.delete(root.resolve("a/b/f"));
            Files.delete(root.resolve("a/b"));
            Files.createDirectories(root.resolve("a/b"));

            b.rename("p", "a/b/new", true); // ENOENT through the kept descriptor: resolved again
            assertThat(Files.readString(root.resolve("a/b/new"))).isEqualTo("new");
        }
    }

    @Test
    void aRenameIntoADirectoryDeletedBySomeoneElseFailsAsWithoutTheCache() throws Exception {
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            assertThat(b.stat("a/b/new")).isNull();
            Files.delete(root.resolve("a/b/f"));
            Files.delete(root.resolve("a/b"));

            assertThatThrownBy(() -> b.rename("p", "a/b/new", true)).isInstanceOf(NoSuchFileException.class);
            b.mkdirs("a/b"); // (made again: not taken for there by a kept descriptor)
            b.rename("p", "a/b/new", true);
            assertThat(Files.readString(root.resolve("a/b/new"))).isEqualTo("new");
        }
    }

    @Test
    void mkdirsOfAKeptDirectoryMakesNoCallAndASymlinkOnTheWayIsStillRefused() throws Exception {
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("outside"));
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            b.mkdirs("x/y");
            assertThat(Files.isDirectory(root.resolve("x/y"))).isTrue();
            assertThat(b.stat("x/y/none")).isNull();
            assertThatThrownBy(() -> b.stat("link/secret")).isInstanceOf(NotBeneathException.class);
            assertThatThrownBy(() -> b.rename("p", "link/p", true)).isInstanceOf(NotBeneathException.class);
            assertThat(Files.exists(tmp.resolve("outside/p"))).isFalse();
        }
    }

    @Test
    void holdsAtMostMaxEntriesDescriptorsAndClosesThemAll() throws Exception {
        for (int i = 0; i < 3 * DirCache.MAX_ENTRIES; i++) {
            Files.createDirectories(root.resolve("many/d" + i));
        }
        long before = openDescriptors();
        try (Beneath b = Beneath.openCachingDirectories(root, nanos::get)) {
            for (int i = 0; i < 3 * DirCache.MAX_ENTRIES; i++) {
                assertThat(b.stat("many/d" + i + "/f")).isNull();
            }
            assertThat(openDescriptors() - before).isEqualTo(DirCache.MAX_ENTRIES + 1L); // (+ the root)
            b.forgetDirectories();
            assertThat(openDescriptors() - before).isEqualTo(1); // the root only
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static long openDescriptors() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
