package dev.ferry.receive;

import dev.ferry.time.FerryClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ChunkIndex} of each folder this receiver has written to, made on first use; shared by all its
 * sessions. A folder dropped by a reload keeps its index (small, and empty until used) until the receiver stops.
 * Thread-safe.
 */
final class ChunkIndexes {
    private final FerryClock clock;
    private final Map<Path, ChunkIndex> byRoot = new ConcurrentHashMap<>();

    ChunkIndexes(FerryClock clock) {
        this.clock = clock;
    }

    /** The index of the folder at {@code root}. */
    ChunkIndex of(Path root) {
        return byRoot.computeIfAbsent(root, r -> new ChunkIndex(clock));
    }
}
