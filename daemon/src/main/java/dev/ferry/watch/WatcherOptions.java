package dev.ferry.watch;

import dev.ferry.logging.Human;
import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link TreeWatcher}.
 *
 * @param pollUnwatchedEvery how often each directory that could not be watched (inotify watch limit) is reported
 *                           as {@code Rescan(dir, "poll")}; positive
 * @param clock              what the poll interval is timed by
 */
public record WatcherOptions(Duration pollUnwatchedEvery, FerryClock clock) {
    public WatcherOptions {
        Objects.requireNonNull(pollUnwatchedEvery, "pollUnwatchedEvery");
        Objects.requireNonNull(clock, "clock");
        if (pollUnwatchedEvery.isNegative() || pollUnwatchedEvery.isZero()) {
            throw new IllegalArgumentException("pollUnwatchedEvery=" + Human.duration(pollUnwatchedEvery) + " must be positive");
        }
    }

    /** Polls unwatched directories every {@code pollUnwatchedEvery} by the system clock. */
    public WatcherOptions(Duration pollUnwatchedEvery) {
        this(pollUnwatchedEvery, FerryClock.system());
    }

    /** These options timed by {@code newClock}. */
    public WatcherOptions withClock(FerryClock newClock) {
        return new WatcherOptions(pollUnwatchedEvery, newClock);
    }

    /** Polls unwatched directories every 2 s. */
    public static WatcherOptions defaults() {
        return new WatcherOptions(Duration.ofSeconds(2));
    }

    /** The poll interval as an operator reads it: "2s", "50ms". */
    String pollIntervalText() {
        long millis = pollUnwatchedEvery.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
