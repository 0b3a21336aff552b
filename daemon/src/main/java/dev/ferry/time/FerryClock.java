package dev.ferry.time;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock every time-driven decision reads. {@link #nanoTime()} is monotonic and meaningful only as a difference
 * (deadlines, debounce, retry back-off, idle checks); {@link #instant()} is wall-clock time for what outlives the
 * process (parking expiry in the journal, trash and partial-file ages). Thread-safe: read from any thread.
 */
public interface FerryClock extends InstantSource {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: compare two readings by subtraction, never by order. */
    long nanoTime();

    /** Nanoseconds left from now until {@code deadlineNs}, never negative. */
    default long nanosUntil(long deadlineNs) {
        return Math.max(0, deadlineNs - nanoTime());
    }

    /** The system clock: {@link System#nanoTime()} and {@link Instant#now()}. */
    static FerryClock system() {
        return SystemClock.INSTANCE;
    }

    /** A deadline {@code timeout} from now on this clock. */
    default Deadline deadlineIn(Duration timeout) {
        return Deadline.after(this, timeout);
    }
}
