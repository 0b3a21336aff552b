package dev.ferry.watch;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import com.google.common.jimfs.WatchServiceConfiguration;
import dev.ferry.path.RelativePath;
import dev.ferry.watch.Change.PathChanged;
import dev.ferry.watch.Change.Rescan;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registration and filtering logic on jimfs, whose watch service polls every 10 ms. */
class TreeWatcherJimfsTest {
    private static final Predicate<String> IGNORED = p -> p.equals(".ferry") || p.equals(".cache")
            || p.endsWith("/.cache") || p.endsWith(".tmp");

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
            .setWatchServiceConfiguration(WatchServiceConfiguration.polling(10, MILLISECONDS)).build());
    private final Path root = fs.getPath("/src");
    private final Changes changes = new Changes();
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private WatchService service;
    private TreeWatcher watcher;

    @AfterEach
    void closeAll() throws IOException {
        if (watcher != null) {
            watcher.close();
        }
        if (service != null) {
            service.close();
        }
        fs.close();
    }

    private TreeWatcher start(Predicate<String> ignored) throws IOException {
        service = fs.newWatchService();
        Registrar real = Registrar.forService(service);
        watcher = TreeWatcher.start(root, service, ignored, changes, WatcherOptions.defaults(), dir -> {
            registered.add(RelativePath.between(root, dir).text());
            return real.register(dir);
        });
        return watcher;
    }

    @Test
    void registersEveryDirectoryOfTheTreeOnce() throws Exception {
        for (String d : List.of("a/b/c", "a/d", "e", "names with spaces/ünï")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.writeString(root.resolve("a/file"), "x");

        start(p -> false);

        assertThat(registered).containsExactlyInAnyOrder("", "a", "a/b", "a/b/c", "a/d", "e", "names with spaces",
                "names with spaces/ünï");
        assertThat(watcher.watchedDirectories()).isEqualTo(8);
        assertThat(watcher.unwatchedDirectories()).isEmpty();
    }

    @Test
    void ignoredDirectoriesAreNotRegistered() throws Exception {
        for (String d : List.of(".ferry/partial", ".cache/x", "a/.cache/y", "a/b")) {
            Files.createDirectories(root.resolve(d));
        }

        start(IGNORED);

        assertThat(registered).containsExactlyInAnyOrder("", "a", "a/b");
    }

    @Test
    void ignoredPathsAreNotReported() throws Exception {
        Files.createDirectories(root.resolve("a"));
        start(IGNORED);

        Files.writeString(root.resolve("a/x.tmp"), "x");
        Files.createDirectories(root.resolve("a/.cache/z"));
        Files.writeString(root.resolve("a/kept"), "x");

        changes.awaitContains(new PathChanged(RelativePath.of("a/kept")));
        Files.writeString(root.resolve("sentinel"), "x"); // a later poll: whatever came with a/kept is in by then
        changes.awaitContains(new PathChanged(RelativePath.of("sentinel")));
        assertThat(changes.all())
                .noneMatch(c -> IGNORED.test(c.path().text()) || c.path().text().startsWith("a/.cache"));
        assertThat(registered).doesNotContain("a/.cache", "a/.cache/z");
    }

    @Test
    void newDirectoryIsRegisteredWithItsSubtreeThenRescanned() throws Exception {
        Files.createDirectories(root);
        start(p -> false);

        Files.createDirectories(root.resolve("n/m/o"));
        Files.writeString(root.resolve("n/m/o/f"), "x");

        changes.awaitContains(new Rescan(RelativePath.of("n"), "new directory"));
        assertThat(registered).contains("n", "n/m", "n/m/o");
        assertThat(watcher.watchedDirectories()).isEqualTo(4);
        changes.clear();
        Files.writeString(root.resolve("n/m/o/g"), "x");
        changes.awaitContains(new PathChanged(RelativePath.of("n/m/o/g")));
    }

    @Test
    void startRefusesARootThatIsNotADirectory() throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve("file"), "x");
        service = fs.newWatchService();

        assertThatThrownBy(() -> TreeWatcher.start(root.resolve("file"), service, p -> false, changes,
                WatcherOptions.defaults())).isInstanceOf(NotDirectoryException.class);
        assertThatThrownBy(() -> TreeWatcher.start(root.resolve("missing"), service, p -> false, changes,
                WatcherOptions.defaults())).isInstanceOf(IOException.class);
    }

    @Test
    void deletedDirectoryIsForgotten() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        start(p -> false);

        Files.delete(root.resolve("a/b"));
        Files.delete(root.resolve("a"));

        changes.awaitContains(new PathChanged(RelativePath.of("a")));
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 1);
        assertThat(Set.copyOf(registered)).hasSize(3);
    }
}
