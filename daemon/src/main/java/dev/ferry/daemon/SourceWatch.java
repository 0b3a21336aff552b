package dev.ferry.daemon;

import dev.ferry.time.FerryClock;
import dev.ferry.watch.Change;
import dev.ferry.watch.TreeWatcher;
import dev.ferry.watch.WatchStart;
import dev.ferry.watch.WatcherOptions;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pair's watch on its source: a watch service and the {@link TreeWatcher} on it, opened together (a failed start
 * leaves nothing open) and closed together. The first scan registers the watches as it walks ({@link #directory},
 * each directory before it is listed), then {@link #start} starts the watcher's thread; {@link #startWalking}
 * registers them with a walk of its own where there is no scan. Prepared, started and closed by the thread that
 * starts and stops the pair; the watcher's own thread hands changes to the sink.
 */
final class SourceWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceWatch.class);

    private final WatchService service;
    private final WatchStart starting;
    private volatile TreeWatcher watcher;

    private SourceWatch(WatchService service, WatchStart starting) {
        this.service = service;
        this.starting = starting;
    }

    static SourceWatch prepare(Path root, Predicate<String> ignored, Consumer<Change> sink, FerryClock clock)
            throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        try {
            return new SourceWatch(service, TreeWatcher.prepare(root, service, ignored, sink,
                    WatcherOptions.defaults().withClock(clock)));
        } catch (IOException | RuntimeException e) {
            try {
                service.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Watches {@code dir} (relative to the root); the scan calls it before listing the directory. */
    void directory(String dir) {
        starting.directory(dir);
    }

    /** Ends the scan's registration and starts reporting changes. */
    void start() throws IOException {
        watcher = starting.start();
    }

    /** Registers the whole tree with a walk of its own (no scan at start), then starts reporting changes. */
    void startWalking() throws IOException {
        watcher = starting.startWalking();
    }

    boolean started() {
        return watcher != null;
    }

    int watchedDirectories() {
        TreeWatcher w = watcher;
        return w == null ? 0 : w.watchedDirectories();
    }

    @Override
    public void close() {
        TreeWatcher w = watcher;
        if (w != null) {
            w.close();
        } else {
            starting.close();
        }
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing watch service: {}", e.toString());
        }
    }
}
