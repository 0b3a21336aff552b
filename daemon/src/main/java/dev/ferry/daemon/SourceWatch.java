package dev.ferry.daemon;

import dev.ferry.time.FerryClock;
import dev.ferry.watch.Change;
import dev.ferry.watch.TreeWatcher;
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
 * A pair's watch on its source: a watch service and the {@link TreeWatcher} on it, started together (a failed start
 * leaves nothing open) and closed together. Started and closed by the thread that starts and stops the pair; the
 * watcher's own thread hands changes to the sink.
 */
final class SourceWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SourceWatch.class);

    private final WatchService service;
    private final TreeWatcher watcher;

    private SourceWatch(WatchService service, TreeWatcher watcher) {
        this.service = service;
        this.watcher = watcher;
    }

    static SourceWatch start(Path root, Predicate<String> ignored, Consumer<Change> sink, FerryClock clock)
            throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        try {
            return new SourceWatch(service, TreeWatcher.start(root, service, ignored, sink,
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

    int watchedDirectories() {
        return watcher.watchedDirectories();
    }

    @Override
    public void close() {
        watcher.close();
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing watch service: {}", e.toString());
        }
    }
}
