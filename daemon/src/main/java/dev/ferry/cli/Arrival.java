package dev.ferry.cli;

import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a change to show on the target, polling every {@link #POLL}, and says how long it took. Run by the demo's
 * thread; the time comes from the clock it is given.
 */
final class Arrival {
    /** Often enough that the poll adds at most about a millisecond to a latency it measures. */
    static final Duration POLL = Duration.ofMillis(1);

    /** One look at the target: true once the change is there. */
    @FunctionalInterface
    interface Check {
        boolean arrived() throws IOException;
    }

    private final FerryClock clock;

    Arrival(FerryClock clock) {
        this.clock = clock;
    }

    long now() {
        return clock.nanoTime();
    }

    /**
     * Polls {@code check} until it holds and returns the nanoseconds from {@code changedAtNs} to the start of the look
     * that saw it (a file appears on the target by one rename, so that look is when it arrived).
     *
     * @throws IOException naming {@code what} when it has not arrived within {@code limit}
     */
    long await(String what, long changedAtNs, Duration limit, Check check) throws IOException {
        long deadlineNs = clock.nanoTime() + limit.toNanos();
        while (true) {
            long lookedAtNs = clock.nanoTime();
            if (holds(check)) {
                return lookedAtNs - changedAtNs;
            }
            if (clock.nanosUntil(deadlineNs) == 0) {
                throw new IOException(what + " did not arrive on the target within " + format(limit.toNanos()));
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) { // (Ctrl-C: the demo stops here, before it writes more)
                throw new InterruptedIOException("stopped while waiting for " + what);
            }
        }
    }

    /** A tree walked while the daemon renames or deletes in it may lose an entry under the walk: not there yet. */
    private static boolean holds(Check check) throws IOException {
        try {
            return check.arrived();
        } catch (NoSuchFileException | UncheckedIOException e) {
            return false;
        }
    }

    /** {@code 9 ms} below a second, {@code 1.9 s} from there. */
    static String format(long nanos) {
        long millis = Math.round(nanos / 1e6);
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
