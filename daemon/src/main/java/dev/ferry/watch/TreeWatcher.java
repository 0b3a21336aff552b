package dev.ferry.watch;

import dev.ferry.logging.Human;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a whole source tree and reports {@link Change} hints to a sink.
 *
 * <p>{@link #start} registers every directory on the caller's thread (so a scan the caller starts after it returns
 * misses nothing), then one virtual thread per watcher, named {@code ferry-watch <root>}, takes events from the
 * watch service and calls the sink, always on that thread, one change at a time. A sink that throws is logged and
 * the watcher goes on. {@link #close} stops the thread within a bounded time.
 *
 * <p>Give each watcher a WatchService of its own: the thread takes every key the service signals, and a key of
 * another watcher's would be dropped. Closing the service stays the caller's job.
 *
 * <p>When the inotify watch limit is reached, the directories that could not be registered are logged once (with
 * the sysctl to raise) and reported as {@code Rescan(dir, "poll")} every {@link WatcherOptions#pollUnwatchedEvery()}
 * until a registration succeeds again.
 */
public final class TreeWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TreeWatcher.class);
    /** How long {@link #close} waits for the thread (busy in a sink call or a walk) before giving up on it. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final WatchLoop loop;
    private final Thread thread;

    private TreeWatcher(WatchLoop loop, Thread thread) {
        this.loop = loop;
        this.thread = thread;
    }

    /**
     * Registers every directory under {@code root} (symlinks not followed, those {@code ignored} names skipped),
     * then reports changes to {@code sink} from its own virtual thread.
     *
     * @param ignored tells, for a '/'-separated path relative to the root, whether to neither watch nor report it
     * @throws IOException if the root is not a directory or cannot be watched; nothing stays registered then
     */
    public static TreeWatcher start(Path root, WatchService service, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options) throws IOException {
        Objects.requireNonNull(service, "service");
        return start(root, service, ignored, sink, options, Registrar.forService(service));
    }

    static TreeWatcher start(Path root, WatchService service, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options, Registrar registrar) throws IOException {
        Path real = checkedRoot(root, service, ignored, sink, options, registrar);
        WatchLoop loop = new WatchLoop(real, service, registrar, ignored, sink, options);
        loop.registerTree();
        return run(real, loop);
    }

    /**
     * Like {@link #start}, but the caller walks the tree: it hands each directory to {@link WatchStart#directory}
     * before listing it, then calls {@link WatchStart#start}, so a start reads the tree once for the watches and its
     * own scan. Events that arrive meanwhile wait in the watch service until the thread starts.
     *
     * @throws IOException if the root is not a directory
     */
    public static WatchStart prepare(Path root, WatchService service, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options) throws IOException {
        Objects.requireNonNull(service, "service");
        return prepare(root, service, ignored, sink, options, Registrar.forService(service));
    }

    static WatchStart prepare(Path root, WatchService service, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options, Registrar registrar) throws IOException {
        Path real = checkedRoot(root, service, ignored, sink, options, registrar);
        return new WatchStart(real, ignored, new WatchLoop(real, service, registrar, ignored, sink, options));
    }

    /** The real root (a root given as a symlink is followed, once), every argument checked. */
    private static Path checkedRoot(Path root, WatchService service, Predicate<String> ignored, Consumer<Change> sink,
            WatcherOptions options, Registrar registrar) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(ignored, "ignored");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(registrar, "registrar");
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new NotDirectoryException(root.toString());
        }
        return real;
    }

    /** Starts the thread of a loop whose tree is registered. */
    static TreeWatcher run(Path real, WatchLoop loop) {
        Thread thread = Thread.ofVirtual().name("ferry-watch " + real).unstarted(loop);
        thread.start();
        log.info("watching root={} directories={} unwatched={}", real, loop.watchedCount(), loop.unwatched().size());
        return new TreeWatcher(loop, thread);
    }

    /** How many directories are registered with the watch service now. */
    public int watchedDirectories() {
        return loop.watchedCount();
    }

    /** The directories that could not be registered (watch limit) and are polled instead; a snapshot. */
    public Set<String> unwatchedDirectories() {
        return loop.unwatched();
    }

    /** Whether the watcher thread still runs (it ends on {@link #close}, or if the watch service is closed). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Stops the thread and cancels the keys it registered; waits up to {@link #STOP_WAIT} for it. Closes nothing it
     * does not own: the watch service is the caller's. Called from the sink, it returns at once and the thread ends
     * after the sink returns.
     */
    @Override
    public void close() {
        loop.stop();
        if (Thread.currentThread() == thread) {
            return;
        }
        thread.interrupt();
        try {
            if (!thread.join(STOP_WAIT)) {
                log.warn("watcher thread did not stop within {} (a sink call still running?)", Human.duration(STOP_WAIT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
