package dev.ferry.receive;

import dev.ferry.status.ReceiverStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections a receiver has open now and the files each is receiving, for {@link Receiver#status()}. The
 * acceptor opens an entry per connection and the session's {@code finally} closes it; in between the session reports
 * through the entry's {@link SessionReport}. Thread-safe: written by the session threads, read by whoever asks for
 * the status (a snapshot may see a file one chunk behind, never a torn entry).
 */
final class OpenConnections {
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    /** A connection from {@code peer} ({@code ip:port}) accepted at {@code since}. */
    Connection open(String peer, Instant since) {
        Connection c = new Connection(peer, since);
        open.add(c);
        return c;
    }

    /** Every open connection, oldest first. */
    List<ReceiverStatus.Peer> peers() {
        return open.stream()
                .map(c -> new ReceiverStatus.Peer(c.peer, c.folder, c.since, c.id))
                .sorted(Comparator.comparing(ReceiverStatus.Peer::since).thenComparing(ReceiverStatus.Peer::address))
                .toList();
    }

    /** Every file being received, by folder and path. */
    List<ReceiverStatus.Transfer> transfers() {
        return open.stream()
                .flatMap(c -> c.files.values().stream()
                        .map(f -> new ReceiverStatus.Transfer(c.folder, f.path, c.peer, f.size, f.bytesDone)))
                .sorted(Comparator.comparing(ReceiverStatus.Transfer::folder).thenComparing(ReceiverStatus.Transfer::path))
                .toList();
    }

    /** One open connection; {@link #close} takes it off the list. */
    final class Connection implements SessionReport, AutoCloseable {
        private final String peer;
        private final Instant since;
        private final Map<Integer, FileProgress> files = new ConcurrentHashMap<>();
        private volatile String folder;
        private volatile String id;

        private Connection(String peer, Instant since) {
            this.peer = peer;
            this.since = since;
        }

        @Override
        public void authenticated(String folder, String peerId) {
            this.id = peerId;
            this.folder = folder;
        }

        @Override
        public void receiving(int fileId, String path, long size) {
            files.put(fileId, new FileProgress(path, size));
        }

        @Override
        public void progress(int fileId, long bytesDone) {
            FileProgress f = files.get(fileId);
            if (f != null) {
                f.bytesDone = bytesDone;
            }
        }

        @Override
        public void ended(int fileId) {
            files.remove(fileId);
        }

        @Override
        public void close() {
            open.remove(this);
        }
    }

    /** A file's progress: written by its session's thread, read by any. */
    private static final class FileProgress {
        private final String path;
        private final long size;
        private volatile long bytesDone;

        FileProgress(String path, long size) {
            this.path = path;
            this.size = size;
        }
    }
}
