package dev.ferry.daemon;

import dev.ferry.status.LatencyRecorder;
import dev.ferry.time.FerryClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When the pair's watcher first saw each changed file, for the transfer-latency histogram: the pair's thread notes a
 * change ({@link #seen}), each target notes its commit ({@link #committed}) and the time between goes to the
 * recorder. An entry is dropped once every target has committed the file; files that change again before that keep
 * their first time (the latency is from the first change not yet synced). Only watched changes are timed: a file
 * found by a rescan or a reconcile has no "seen" moment. Thread-safe.
 */
final class ChangeTimes {
    /**
     * At this many entries, those older than {@link #FORGET_AFTER_NS} go (changes of directories, deleted or ignored
     * files are never committed), and if that is not enough all go: memory stays bounded, a few observations are lost.
     */
    static final int MAX_ENTRIES = 100_000;
    static final long FORGET_AFTER_NS = 600_000_000_000L;

    private record Seen(long nanos, AtomicInteger targetsLeft) {
    }

    private final FerryClock clock;
    private final LatencyRecorder recorder;
    private final int targets;
    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();

    /** @param targets how many targets each change must reach before its entry goes */
    ChangeTimes(FerryClock clock, LatencyRecorder recorder, int targets) {
        this.clock = clock;
        this.recorder = recorder;
        this.targets = targets;
    }

    /** The watcher reported a change of {@code local}: now is its time unless an earlier change is still unsynced. */
    void seen(Path local) {
        if (targets == 0) {
            return;
        }
        if (seen.size() >= MAX_ENTRIES) {
            long now = clock.nanoTime();
            seen.values().removeIf(s -> now - s.nanos() > FORGET_AFTER_NS);
            if (seen.size() >= MAX_ENTRIES) {
                seen.clear();
            }
        }
        seen.putIfAbsent(local, new Seen(clock.nanoTime(), new AtomicInteger(targets)));
    }

    /** One target committed {@code local}: records the latency if its change was seen. */
    void committed(Path local) {
        Seen s = seen.get(local);
        if (s == null) {
            return;
        }
        recorder.record(clock.nanoTime() - s.nanos());
        if (s.targetsLeft().decrementAndGet() <= 0) {
            seen.remove(local, s);
        }
    }

    int size() {
        return seen.size();
    }
}
