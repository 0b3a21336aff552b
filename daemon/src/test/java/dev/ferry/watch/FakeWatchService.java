package dev.ferry.watch;

import dev.ferry.path.RelativePath;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch service driven by the test: {@link #registrar} hands out a {@link Key} per directory, and the test signals
 * events (OVERFLOW included) or invalidates keys by hand. Thread-safe like the real one.
 */
final class FakeWatchService implements WatchService {
    private final LinkedBlockingQueue<WatchKey> queue = new LinkedBlockingQueue<>();
    private final Key poison = new Key(this, null);
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A registrar that gives each directory (named relative to {@code root}) a fresh key of this service. */
    Registrar registrar(Path root) {
        return dir -> {
            if (closed) {
                throw new ClosedWatchServiceException();
            }
            Key key = new Key(this, dir);
            keys.put(RelativePath.between(root, dir).text(), key);
            return key;
        };
    }

    /** The key last registered for a directory relative to the root. */
    Key key(String dir) {
        Key key = keys.get(dir);
        if (key == null) {
            throw new IllegalArgumentException("no key registered for dir=" + dir + " keys=" + keys.keySet());
        }
        return key;
    }

    boolean registered(String dir) {
        return keys.containsKey(dir);
    }

    @Override
    public WatchKey poll() {
        return check(queue.poll());
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        return check(queue.poll(timeout, unit));
    }

    @Override
    public WatchKey take() throws InterruptedException {
        return check(queue.take());
    }

    @Override
    public void close() {
        closed = true;
        queue.offer(poison);
    }

    boolean isClosed() {
        return closed;
    }

    private WatchKey check(WatchKey key) {
        if (closed || key == poison) {
            queue.offer(poison);
            throw new ClosedWatchServiceException();
        }
        return key;
    }

    /** A key whose events the test posts. */
    static final class Key implements WatchKey {
        private final FakeWatchService service;
        private final Path dir;
        private final List<WatchEvent<?>> events = new ArrayList<>();
        private boolean valid = true;
        private boolean signalled;

        Key(FakeWatchService service, Path dir) {
            this.service = service;
            this.dir = dir;
        }

        /** Posts events and queues the key, as the real service does when something happens in the directory. */
        synchronized void signal(WatchEvent<?>... posted) {
            events.addAll(List.of(posted));
            if (!signalled) {
                signalled = true;
                service.queue.add(this);
            }
        }

        /** The directory is gone: the key turns invalid and is queued once more, as on Linux (IN_IGNORED). */
        synchronized void invalidate() {
            valid = false;
            signal();
        }

        @Override
        public synchronized boolean isValid() {
            return valid && !service.closed;
        }

        @Override
        public synchronized List<WatchEvent<?>> pollEvents() {
            List<WatchEvent<?>> out = List.copyOf(events);
            events.clear();
            return out;
        }

        @Override
        public synchronized boolean reset() {
            if (!isValid()) {
                return false;
            }
            signalled = false;
            if (!events.isEmpty()) {
                signal();
            }
            return true;
        }

        @Override
        public synchronized void cancel() {
            valid = false;
        }

        @Override
        public Watchable watchable() {
            return dir;
        }
    }

    /** An event as the service reports it. */
    record Event<T>(WatchEvent.Kind<T> kind, int count, T context) implements WatchEvent<T> {
        static Event<Path> of(WatchEvent.Kind<Path> kind, Path name) {
            return new Event<>(kind, 1, name);
        }

        static Event<Object> overflow() {
            return new Event<>(StandardWatchEventKinds.OVERFLOW, 1, null);
        }
    }
}
