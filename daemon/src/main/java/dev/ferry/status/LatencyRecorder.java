package dev.ferry.status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counts durations into fixed buckets; thread-safe, lock-free, read by {@link #snapshot()} at any time. The buckets
 * span what a sync daemon sees: a few milliseconds on a LAN to minutes for a big file or a slow link.
 */
public final class LatencyRecorder {
    /** Upper bounds in seconds (Prometheus {@code le}). */
    public static final List<Double> BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            30.0, 60.0, 300.0);

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.size() + 1);
    private final DoubleAdder sumSeconds = new DoubleAdder();

    /** One observation of {@code nanos} nanoseconds (negative counts as 0). */
    public void record(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        int bucket = 0;
        while (bucket < BOUNDS.size() && seconds > BOUNDS.get(bucket)) {
            bucket++;
        }
        counts.incrementAndGet(bucket);
        sumSeconds.add(seconds);
    }

    public LatencyHistogram snapshot() {
        List<Long> c = new ArrayList<>(counts.length());
        for (int i = 0; i < counts.length(); i++) {
            c.add(counts.get(i));
        }
        return new LatencyHistogram(BOUNDS, c, sumSeconds.sum());
    }
}
