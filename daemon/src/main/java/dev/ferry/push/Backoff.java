package dev.ferry.push;

import dev.ferry.logging.Human;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: attempt 1 waits about {@code first}, each further attempt twice as long, never
 * more than {@code max}; up to a quarter more is added at random so that many waiters do not retry in step.
 */
public record Backoff(Duration first, Duration max) {
    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff first=" + Human.duration(first) + " max=" + Human.duration(max) + ": need 0 < first <= max");
        }
    }

    /** The wait before retry number {@code attempt} (1 = the first retry). */
    public Duration delay(int attempt, RandomGenerator random) {
        long base = first.toNanos();
        long capped = max.toNanos();
        long nanos = attempt >= 63 ? capped : Math.min(capped, base << Math.min(62, Math.max(0, attempt - 1)));
        if (nanos <= 0 || nanos > capped) {
            nanos = capped; // shifted past the range
        }
        long jitter = random.nextLong(Math.max(1, nanos / 4));
        return Duration.ofNanos(nanos + jitter);
    }
}
