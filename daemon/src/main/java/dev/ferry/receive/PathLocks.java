package dev.ferry.receive;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connection is writing which final path, so that two sessions never write the same file at once. Shared
 * by the sessions of one receiver; thread-safe.
 */
final class PathLocks {
    private final Map<Path, Object> writers = new ConcurrentHashMap<>();

    /** Takes {@code target} for {@code owner}; false if another owner holds it. */
    boolean tryLock(Path target, Object owner) {
        return writers.putIfAbsent(target, owner) == null;
    }

    /** Gives {@code target} back, if {@code owner} holds it. */
    void unlock(Path target, Object owner) {
        writers.remove(target, owner);
    }
}
