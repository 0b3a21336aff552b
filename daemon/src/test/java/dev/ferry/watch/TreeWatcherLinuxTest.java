package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.path.RelativePath;
import dev.ferry.watch.Change.PathChanged;
import dev.ferry.watch.Change.Rescan;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The real Linux WatchService (inotify) on a real temporary folder. */
@EnabledOnOs(OS.LINUX)
class TreeWatcherLinuxTest {
    @TempDir
    Path root;
    @TempDir
    Path outside;

    private final Changes changes = new Changes();
    private WatchService service;
    private TreeWatcher watcher;

    @BeforeEach
    void openService() throws IOException {
        service = FileSystems.getDefault().newWatchService();
    }

    @AfterEach
    void closeAll() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
        service.close();
    }

    private TreeWatcher start() throws IOException {
        watcher = TreeWatcher.start(root, service, p -> false, changes, WatcherOptions.defaults());
        return watcher;
    }

    @Test
    void createdFileIsReported() throws Exception {
        start();

        Files.writeString(root.resolve("new.txt"), "hello");

        changes.awaitContains(new PathChanged(RelativePath.of("new.txt")));
    }

    @Test
    void modifiedFileIsReported() throws Exception {
        Files.writeString(root.resolve("old.txt"), "v1");
        start();

        Files.writeString(root.resolve("old.txt"), "v2");

        changes.awaitContains(new PathChanged(RelativePath.of("old.txt")));
    }

    @Test
    void deletedFileIsReported() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/doomed.txt"), "x");
        start();

        Files.delete(root.resolve("a/doomed.txt"));

        changes.awaitContains(new PathChanged(RelativePath.of("a/doomed.txt")));
    }

    @Test
    void everyDirectoryOfTheTreeIsRegisteredAndItsFilesReported() throws Exception {
        Files.createDirectories(root.resolve("a/b/c"));
        Files.createDirectories(root.resolve("d"));
        start();
        assertThat(watcher.watchedDirectories()).isEqualTo(5);

        Files.writeString(root.resolve("a/b/c/f"), "x");

        changes.awaitContains(new PathChanged(RelativePath.of("a/b/c/f")));
    }

    @Test
    void fileCreatedRightAfterMkdirPIsReportedAndTheNewDirectoriesAreWatched() throws Exception {
        start();

        Files.createDirectories(root.resolve("deep/nested/dirs"));
        Files.writeString(root.resolve("deep/nested/dirs/f"), "x");

        changes.awaitCovered("deep", "deep/nested", "deep/nested/dirs", "deep/nested/dirs/f");
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 4);
        Files.writeString(root.resolve("deep/nested/dirs/g"), "x");
        changes.awaitContains(new PathChanged(RelativePath.of("deep/nested/dirs/g")));
    }

    @Test
    void renamedDirectoryIsReportedAndWatchedUnderItsNewName() throws Exception {
        Files.createDirectories(root.resolve("old/inner"));
        Files.writeString(root.resolve("old/inner/x"), "x");
        start();
        assertThat(watcher.watchedDirectories()).isEqualTo(3);

        Files.move(root.resolve("old"), root.resolve("new"));

        changes.awaitContains(new PathChanged(RelativePath.of("old")));
        changes.awaitCovered("new", "new/inner", "new/inner/x");
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 3);
        changes.clear();
        Files.writeString(root.resolve("new/inner/y"), "y");
        changes.awaitContains(new PathChanged(RelativePath.of("new/inner/y")));
        // inotify keeps a moved directory's watch: its events must not come out under the old name
        assertThat(changes.about("old")).isEmpty();
    }

    @Test
    void directoryMovedOutOfTheTreeIsNoLongerWatched() throws Exception {
        Files.createDirectories(root.resolve("leaving/sub"));
        start();
        assertThat(watcher.watchedDirectories()).isEqualTo(3);

        Files.move(root.resolve("leaving"), outside.resolve("leaving"));

        changes.awaitContains(new PathChanged(RelativePath.of("leaving")));
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 1);
        Files.writeString(outside.resolve("leaving/sub/f"), "x");
        Files.writeString(root.resolve("sentinel"), "x"); // queued after anything the old watch would report
        changes.awaitContains(new PathChanged(RelativePath.of("sentinel")));
        assertThat(changes.about("leaving")).containsOnly(new PathChanged(RelativePath.of("leaving")));
    }

    @Test
    void deletedWatchedDirectoryIsDropped() throws Exception {
        Files.createDirectories(root.resolve("gone/a/b"));
        Files.writeString(root.resolve("gone/a/b/f"), "x");
        start();
        assertThat(watcher.watchedDirectories()).isEqualTo(4);

        deleteTree(root.resolve("gone"));

        changes.awaitContains(new PathChanged(RelativePath.of("gone")));
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 1);
    }

    @Test
    void burstOf2000FilesIsFullyCovered() throws Exception {
        Files.createDirectories(root.resolve("burst"));
        start();
        List<String> created = new ArrayList<>();

        for (int i = 0; i < 2000; i++) {
            String name = "burst/f" + i;
            Files.createFile(root.resolve(name));
            created.add(name);
        }

        changes.awaitCovered(created);
    }

    @Test
    void symlinkToDirectoryIsReportedButNotFollowed() throws Exception {
        Files.createDirectories(outside.resolve("target/sub"));
        Files.createSymbolicLink(root.resolve("link"), outside.resolve("target"));
        start();
        assertThat(watcher.watchedDirectories()).isEqualTo(1);

        Files.createSymbolicLink(root.resolve("link2"), outside.resolve("target"));

        changes.awaitContains(new PathChanged(RelativePath.of("link2")));
        assertThat(changes.all()).noneMatch(c -> c instanceof Rescan);
        assertThat(watcher.watchedDirectories()).isEqualTo(1);
    }

    @Test
    void ignoredPathsAreNeitherWatchedNorReported() throws Exception {
        Files.createDirectories(root.resolve(".ferry/partial"));
        Files.createDirectories(root.resolve("a"));
        watcher = TreeWatcher.start(root, service, p -> p.equals(".ferry") || p.endsWith(".tmp"), changes,
                WatcherOptions.defaults());
        assertThat(watcher.watchedDirectories()).isEqualTo(2);

        Files.writeString(root.resolve(".ferry/partial/p"), "x");
        Files.writeString(root.resolve("a/x.tmp"), "x");
        Files.writeString(root.resolve("a/kept"), "x");

        changes.awaitContains(new PathChanged(RelativePath.of("a/kept")));
        assertThat(changes.all())
                .noneMatch(c -> c.path().text().startsWith(".ferry") || c.path().text().endsWith(".tmp"));
    }

    @Test
    void closeStopsTheThreadAndLeavesTheServiceOpen() throws Exception {
        start();
        assertThat(watcher.isRunning()).isTrue();

        watcher.close();

        assertThat(watcher.isRunning()).isFalse();
        assertThat(watcher.watchedDirectories()).isZero();
        assertThat(service.poll()).isNull(); // still open: a closed service would throw
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
