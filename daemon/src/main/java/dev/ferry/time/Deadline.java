package dev.ferry.time;

import java.time.Duration;
import java.util.Objects;

/**
 * One point in time on a {@link FerryClock}, computed once and handed down, so that a shutdown which waits for
 * several threads in turn waits at most the one grace period in total (not a grace period per thread).
 *
 * @param clock      the clock the deadline is measured on
 * @param deadlineNs the clock's {@link FerryClock#nanoTime()} at which the time is up
 */
public record Deadline(FerryClock clock, long deadlineNs) {

    public Deadline {
        Objects.requireNonNull(clock, "clock");
    }

    /** The deadline {@code timeout} from now; {@code timeout} must not be negative. */
    public static Deadline after(FerryClock clock, Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " is negative");
        }
        return new Deadline(clock, clock.nanoTime() + timeout.toNanos());
    }

    /** What is left, zero once the deadline has passed: pass it to {@code join(Duration)} or {@code await}. */
    public Duration remaining() {
        return Duration.ofNanos(clock.nanosUntil(deadlineNs));
    }

    public boolean expired() {
        return clock.nanosUntil(deadlineNs) == 0;
    }

    /** Joins {@code thread} until it ends or this deadline passes (no wait once passed); true if it ended. */
    public boolean join(Thread thread) throws InterruptedException {
        return thread.join(remaining());
    }
}
