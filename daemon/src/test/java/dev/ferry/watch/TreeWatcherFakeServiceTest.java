package dev.ferry.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.path.RelativePath;
import dev.ferry.watch.Change.PathChanged;
import dev.ferry.watch.Change.Rescan;
import dev.ferry.watch.FakeWatchService.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events the real service cannot be made to produce on demand (OVERFLOW, dead keys), from a hand-driven fake. */
class TreeWatcherFakeServiceTest {
    @TempDir
    Path root;

    private final FakeWatchService service = new FakeWatchService();
    private final Changes changes = new Changes();
    private TreeWatcher watcher;

    @AfterEach
    void closeAll() {
        if (watcher != null) {
            watcher.close();
        }
        service.close();
    }

    private TreeWatcher start(Consumer<Change> sink) throws IOException {
        watcher = TreeWatcher.start(root, service, p -> false, sink, WatcherOptions.defaults(),
                service.registrar(root.toRealPath()));
        return watcher;
    }

    @Test
    void overflowBecomesAFullRescanAfterRegisteringWhatItHid() throws Exception {
        Files.createDirectories(root.resolve("a"));
        start(changes);
        Files.createDirectories(root.resolve("a/hidden/deeper")); // its creation event was lost in the overflow
        Files.delete(root.resolve("a/hidden/deeper"));
        Files.createDirectories(root.resolve("a/hidden/kept"));

        service.key("a").signal(Event.overflow());

        changes.awaitContains(new Rescan(RelativePath.ROOT, "overflow"));
        assertThat(changes.all()).containsExactly(new Rescan(RelativePath.ROOT, "overflow"));
        assertThat(service.registered("a/hidden/kept")).isTrue();
        assertThat(watcher.watchedDirectories()).isEqualTo(4);
    }

    @Test
    void overflowSignalledOnEveryKeyStillEndsInAFullRescan() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        start(changes);

        service.key("").signal(Event.overflow());
        service.key("a").signal(Event.overflow());
        service.key("a/b").signal(Event.overflow());

        changes.awaitContains(new Rescan(RelativePath.ROOT, "overflow"));
        assertThat(changes.all()).containsOnly(new Rescan(RelativePath.ROOT, "overflow"));
        assertThat(watcher.watchedDirectories()).isEqualTo(3);
    }

    @Test
    void overflowForgetsDirectoriesThatVanished() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        start(changes);
        Files.delete(root.resolve("a/b"));

        service.key("a").signal(Event.overflow());

        changes.awaitContains(new Rescan(RelativePath.ROOT, "overflow"));
        assertThat(watcher.watchedDirectories()).isEqualTo(2);
        assertThat(service.key("a/b").isValid()).isFalse();
    }

    @Test
    void invalidKeyIsDroppedWithItsSubtreeAndReported() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        start(changes);
        assertThat(watcher.watchedDirectories()).isEqualTo(3);

        service.key("a").invalidate();

        changes.awaitContains(new PathChanged(RelativePath.of("a")));
        await().atMost(Changes.DEADLINE).until(() -> watcher.watchedDirectories() == 1);
        assertThat(service.key("a/b").isValid()).as("the subtree's keys are cancelled").isFalse();
    }

    @Test
    void eventsOfAForgottenKeyAreDropped() throws Exception {
        Files.createDirectories(root.resolve("a"));
        start(changes);
        FakeWatchService.Key oldKey = service.key("a");
        service.key("").signal(Event.of(ENTRY_DELETE, Path.of("a")));
        changes.awaitContains(new PathChanged(RelativePath.of("a")));

        oldKey.signal(Event.of(ENTRY_CREATE, Path.of("late")));
        service.key("").signal(Event.of(ENTRY_MODIFY, Path.of("sentinel")));

        changes.awaitContains(new PathChanged(RelativePath.of("sentinel")));
        assertThat(changes.all())
                .containsExactly(new PathChanged(RelativePath.of("a")), new PathChanged(RelativePath.of("sentinel")));
        assertThat(oldKey.isValid()).isFalse();
    }

    @Test
    void failingSinkDoesNotStopTheWatcher() throws Exception {
        start(change -> {
            if (change.path().text().equals("boom")) {
                throw new IllegalStateException("sink failed on purpose");
            }
            changes.accept(change);
        });

        service.key("").signal(Event.of(ENTRY_MODIFY, Path.of("boom")));
        service.key("").signal(Event.of(ENTRY_MODIFY, Path.of("fine")));

        changes.awaitContains(new PathChanged(RelativePath.of("fine")));
        assertThat(watcher.isRunning()).isTrue();
    }

    @Test
    void closeFromTheSinkEndsTheThread() throws Exception {
        AtomicReference<TreeWatcher> self = new AtomicReference<>();
        self.set(start(change -> self.get().close()));

        service.key("").signal(Event.of(ENTRY_MODIFY, Path.of("x")));

        await().atMost(Changes.DEADLINE).until(() -> !watcher.isRunning());
    }

    @Test
    void closeEndsTheThreadPromptly() throws Exception {
        start(changes);
        long startNs = System.nanoTime();

        watcher.close();

        assertThat(watcher.isRunning()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isLessThan(TreeWatcher.STOP_WAIT);
        assertThat(service.key("").isValid()).as("keys are cancelled").isFalse();
        assertThat(service.isClosed()).as("the service is the caller's").isFalse();
    }

    @Test
    void closedServiceEndsTheThread() throws Exception {
        start(changes);

        service.close();

        await().atMost(Changes.DEADLINE).until(() -> !watcher.isRunning());
    }
}
