package dev.ferry.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link TreeWatcher}.
 *
 * @param pollUnwatchedEvery how often each directory that could not be watched (inotify watch limit) is reported
 *                           as {@code Rescan(dir, "poll")}; positive
 */
public record WatcherOptions(Duration pollUnwatchedEvery) {
    public WatcherOptions {
        Objects.requireNonNull(pollUnwatchedEvery, "pollUnwatchedEvery");
        if (pollUnwatchedEvery.isNegative() || pollUnwatchedEvery.isZero()) {
            throw new IllegalArgumentException("pollUnwatchedEvery=" + pollUnwatchedEvery + " must be positive");
        }
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
