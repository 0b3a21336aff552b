package dev.ferry.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.ferry.path.RelativePath;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a {@link TreeWatcher}'s virtual thread: takes signalled keys from the watch service, turns their
 * events into {@link Change}s for the sink, registers directories as they appear, and every
 * {@link WatcherOptions#pollUnwatchedEvery()} reports the directories it could not watch.
 *
 * <p>This thread owns the {@link WatchTable} and calls the sink. It blocks in {@code take()}, or in
 * {@code poll(timeout)} up to the next poll of unwatched directories; {@link #stop} plus an interrupt end it. Other
 * threads only read the published counts.
 */
final class WatchLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(WatchLoop.class);

    private final Path root;
    private final WatchService service;
    private final Predicate<String> ignored;
    private final Consumer<Change> sink;
    private final long pollEveryNs;
    private final FerryClock clock;
    private final WatchTable table = new WatchTable();
    private final TreeRegistration registration;
    private volatile boolean stopping;
    private volatile int watchedCount;
    private volatile Set<String> unwatchedSnapshot = Set.of();
    private boolean pollArmed;
    private long nextPollNs;

    WatchLoop(Path root, WatchService service, Registrar registrar, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options) {
        this.root = root;
        this.service = service;
        this.ignored = ignored;
        this.sink = sink;
        this.pollEveryNs = options.pollUnwatchedEvery().toNanos();
        this.clock = options.clock();
        this.registration = new TreeRegistration(root, registrar, ignored, table, options, () -> stopping);
    }

    /** Registers the whole tree; run by the caller of {@link TreeWatcher#start} before the thread starts. */
    void registerTree() throws IOException {
        TreeRegistration.Result result;
        try {
            result = registration.register("");
        } catch (RuntimeException e) {
            table.clear();
            throw e;
        }
        settle(result);
    }

    /** A walk of the whole tree that the caller drives, before the thread starts (see {@link WatchStart}). */
    TreeRegistration.Walk beginTree() {
        return registration.begin();
    }

    /** Ends the caller's walk: nothing stays registered if the root could not be watched. */
    void endTree(TreeRegistration.Walk walk) throws IOException {
        settle(registration.end(walk));
    }

    /** Forgets what a walk registered (a start that failed or was given up). */
    void abandon() {
        table.clear();
    }

    private void settle(TreeRegistration.Result result) throws IOException {
        IOException failure = result.topFailure();
        if (failure != null) {
            table.clear();
            throw new IOException("cannot watch root " + root + ": " + failure.getMessage(), failure);
        }
        publish();
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                WatchKey key = next();
                try {
                    if (key != null) {
                        handle(key);
                    }
                    if (pollDue()) {
                        pollUnwatched();
                    }
                } catch (ClosedWatchServiceException e) {
                    throw e;
                } catch (RuntimeException e) {
                    log.warn("watch step failed; going on root={}", root, e);
                }
                publish();
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                log.warn("watcher interrupted; no more changes root={}", root);
            }
        } catch (ClosedWatchServiceException e) {
            if (!stopping) {
                log.warn("watch service closed; no more changes root={}", root);
            }
        } catch (RuntimeException | Error e) {
            log.error("watcher failed; no more changes root={}", root, e);
            throw e;
        } finally {
            table.clear();
            publish();
        }
    }

    /** Asks the loop to end; the caller interrupts the thread to wake it up. */
    void stop() {
        stopping = true;
    }

    int watchedCount() {
        return watchedCount;
    }

    Set<String> unwatched() {
        return unwatchedSnapshot;
    }

    private WatchKey next() throws InterruptedException {
        if (!table.hasUnwatched()) {
            pollArmed = false;
            return service.take();
        }
        if (!pollArmed) {
            pollArmed = true;
            nextPollNs = clock.nanoTime() + pollEveryNs;
        }
        long wait = nextPollNs - clock.nanoTime();
        return wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : service.poll();
    }

    private boolean pollDue() {
        return pollArmed && clock.nanoTime() - nextPollNs >= 0;
    }

    private void handle(WatchKey key) {
        String dir = table.pathOf(key);
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        if (dir == null) {
            return; // a key we forgot: its directory was deleted or moved, and that was reported already
        }
        boolean overflow = false;
        for (WatchEvent<?> event : events) {
            try {
                if (event.kind() == OVERFLOW) {
                    overflow = true;
                } else if (event.context() instanceof Path name) {
                    String path = RelativePath.join(dir, name.toString());
                    if (!ignored.test(path)) {
                        dispatch(event.kind(), path);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("cannot handle event kind={} dir={} context={}", event.kind(), dir, event.context(), e);
            }
        }
        if (!valid && dir.equals(table.pathOf(key))) {
            // deleted (or unmounted): the key is dead; a moved directory keeps its key on Linux (see deleted())
            table.forget(dir);
            if (dir.isEmpty()) {
                log.warn("source root is gone; nothing is watched any more root={}", root);
            }
            emit(new Change.PathChanged(RelativePath.of(dir)));
        }
        if (overflow) {
            overflow();
        }
    }

    private void dispatch(WatchEvent.Kind<?> kind, String path) {
        if (kind == ENTRY_CREATE) {
            created(path);
        } else if (kind == ENTRY_DELETE) {
            deleted(path);
        } else {
            emit(new Change.PathChanged(RelativePath.of(path)));
        }
    }

    /** A new directory is registered (with its subtree) before it is reported, so nothing created in it is lost. */
    private void created(String path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(RelativePath.of(path).under(root), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            emit(new Change.PathChanged(RelativePath.of(path))); // gone again already
            return;
        }
        if (!attrs.isDirectory() || table.isWatched(path, attrs.fileKey())) {
            // a file, a symlink, or a directory an ancestor's walk registered (and its Rescan covered) already
            emit(new Change.PathChanged(RelativePath.of(path)));
            return;
        }
        registration.register(path);
        emit(new Change.Rescan(RelativePath.of(path), "new directory"));
    }

    /**
     * Deleted or moved away. A deleted directory's key dies by itself, but inotify keeps watching a moved one
     * (under its old name), so the keys of the whole subtree are cancelled here; if it moved within the tree, its
     * creation under the new name registers it again.
     */
    private void deleted(String path) {
        table.forget(path);
        emit(new Change.PathChanged(RelativePath.of(path)));
    }

    /**
     * Events were lost, directory creations among them: drop what is queued, walk the whole tree again to register
     * new directories and forget vanished ones, then ask for a full rescan, which covers everything dropped.
     */
    private void overflow() {
        log.info("watch events overflowed; rescanning root={}", root);
        int budget = table.watchedCount() + 16;
        WatchKey queued;
        while (budget-- > 0 && (queued = service.poll()) != null) {
            queued.pollEvents();
            queued.reset();
        }
        table.retainOnly(registration.register("").seen());
        emit(new Change.Rescan(RelativePath.ROOT, "overflow"));
    }

    private void pollUnwatched() {
        nextPollNs = clock.nanoTime() + pollEveryNs;
        boolean limitMayBeGone = true;
        for (String dir : table.topMostUnwatched()) {
            if (stopping) {
                return;
            }
            if (!Files.isDirectory(RelativePath.of(dir).under(root), LinkOption.NOFOLLOW_LINKS)) {
                table.forget(dir);
                emit(new Change.PathChanged(RelativePath.of(dir)));
                continue;
            }
            if (limitMayBeGone) {
                limitMayBeGone = registration.retry(dir);
            }
            emit(new Change.Rescan(RelativePath.of(dir), "poll"));
        }
    }

    private void emit(Change change) {
        try {
            sink.accept(change);
        } catch (RuntimeException e) {
            log.warn("change sink failed change={}", change, e);
        }
    }

    private void publish() {
        if (table.takeChanged()) {
            watchedCount = table.watchedCount();
            unwatchedSnapshot = Set.copyOf(table.unwatched());
        }
    }
}
