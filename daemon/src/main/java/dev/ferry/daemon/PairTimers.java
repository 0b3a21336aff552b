package dev.ferry.daemon;

import dev.ferry.time.FerryClock;
import java.time.Duration;

/**
 * A pair's two clocks-on-the-wall: the full rescan that is the safety net under the watcher (every
 * {@code rescanEvery}, or {@link #ERROR_PAUSE} after a failure), and the periodic save of the index (every
 * {@link #SAVE_EVERY}). Runs on the pair's thread only.
 */
final class PairTimers {
    static final Duration SAVE_EVERY = Duration.ofSeconds(5);
    static final Duration ERROR_PAUSE = Duration.ofSeconds(5);

    private final FerryClock clock;
    private final Duration rescanEvery;
    private long nextRescanNs;
    private long nextSaveNs;

    /** Both timers start now. */
    PairTimers(FerryClock clock, Duration rescanEvery) {
        this.clock = clock;
        this.rescanEvery = rescanEvery;
        long now = clock.nanoTime();
        this.nextRescanNs = now + rescanEvery.toNanos();
        this.nextSaveNs = now + SAVE_EVERY.toNanos();
    }

    /** True once a full rescan is due; the next one is then due {@code rescanEvery} from now. */
    boolean rescanDue() {
        long now = clock.nanoTime();
        if (now - nextRescanNs >= 0) {
            nextRescanNs = now + rescanEvery.toNanos();
            return true;
        }
        return false;
    }

    /** True once the index is to be saved; the next save is then due {@link #SAVE_EVERY} from now. */
    boolean saveDue() {
        long now = clock.nanoTime();
        if (now - nextSaveNs >= 0) {
            nextSaveNs = now + SAVE_EVERY.toNanos();
            return true;
        }
        return false;
    }

    /** Processing failed: the full rescan that starts over is due after {@link #ERROR_PAUSE}. */
    void failed() {
        nextRescanNs = clock.nanoTime() + ERROR_PAUSE.toNanos();
    }

    /** The clock's nanoTime when the first of the two is due. */
    long nextDueNs() {
        return Math.min(nextRescanNs, nextSaveNs);
    }
}
