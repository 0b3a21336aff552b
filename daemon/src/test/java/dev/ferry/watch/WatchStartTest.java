package dev.ferry.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.path.RelativePath;
import dev.ferry.watch.Change.PathChanged;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A watcher started by its caller's walk (the daemon's first scan), on the real Linux WatchService. */
@EnabledOnOs(OS.LINUX)
class WatchStartTest {
    @TempDir
    Path root;

    private final Changes changes = new Changes();
    private final List<Path> registered = new ArrayList<>();
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

    private WatchStart prepare() throws IOException {
        Registrar real = Registrar.forService(service);
        return TreeWatcher.prepare(root, service, p -> p.equals("skipped"), changes, WatcherOptions.defaults(), dir -> {
            registered.add(dir);
            return real.register(dir);
        });
    }

    @Test
    void registersOnlyTheDirectoriesItsCallerWalksAndReadsNoDirectoryOfItsOwn() throws Exception {
        for (String d : List.of("a", "a/b", "c", "skipped")) {
            Files.createDirectories(root.resolve(d));
        }
        WatchStart start = prepare();

        start.directory("");
        start.directory("a");
        start.directory("a/b");
        start.directory("skipped");
        watcher = start.start();

        // "c" was not handed in: the watcher did not walk the tree itself; "skipped" is ignored
        assertThat(watcher.watchedDirectories()).isEqualTo(3);
        assertThat(registered).containsExactly(root.toRealPath(), root.toRealPath().resolve("a"),
                root.toRealPath().resolve("a/b"));
    }

    @Test
    void aChangeMadeAfterADirectoryWasHandedInAndBeforeTheStartIsReportedOnceStarted() throws Exception {
        Files.createDirectories(root.resolve("a"));
        WatchStart start = prepare();
        start.directory("");
        start.directory("a");

        Files.writeString(root.resolve("a/during-the-walk.txt"), "x"); // the walk may have listed "a" already

        watcher = start.start();
        changes.awaitContains(new PathChanged(RelativePath.of("a/during-the-walk.txt")));
    }

    @Test
    void aRootThatCannotBeWatchedFailsTheStartAndLeavesNothingRegistered() throws Exception {
        WatchStart start = TreeWatcher.prepare(root, service, p -> false, changes, WatcherOptions.defaults(), dir -> {
            throw new IOException("no watch for you");
        });
        start.directory("");

        assertThatThrownBy(start::start).isInstanceOf(IOException.class)
                .hasMessage("cannot watch root " + root.toRealPath() + ": no watch for you");
    }

    @Test
    void startWalkingRegistersTheWholeTreeWhenThereIsNoScan() throws Exception {
        for (String d : List.of("a", "a/b", "c")) {
            Files.createDirectories(root.resolve(d));
        }

        watcher = prepare().startWalking();

        assertThat(watcher.watchedDirectories()).isEqualTo(4);
    }
}
