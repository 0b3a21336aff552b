package dev.ferry.testing;

import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FerryClock} that moves only when a test calls {@link #advance}: both its monotonic and its wall time move
 * together. Thread-safe, as the threads under test read it while the test moves it.
 */
public final class ManualClock implements FerryClock {
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong elapsedNs = new AtomicLong();

    @Override
    public long nanoTime() {
        return elapsedNs.get();
    }

    @Override
    public Instant instant() {
        return EPOCH.plusNanos(elapsedNs.get());
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("by=" + by + " is negative: a clock does not go back");
        }
        elapsedNs.addAndGet(by.toNanos());
    }
}
