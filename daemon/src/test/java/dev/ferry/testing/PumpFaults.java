package dev.ferry.testing;

import java.time.Duration;

/**
 * The faults as one stream (one direction of one connection) sees them: the proxy-wide {@link Faults} and those of
 * its connection number, merged. Owned by the stream's writer thread, which calls every method but {@link #delay()}
 * (the reader's, which only reads volatile settings); the per-stream bookkeeping (flip cursors, which stall marks it
 * has reached) needs no lock for that reason.
 */
final class PumpFaults {
    private final Object signal;
    private final Faults[] faults;
    private final FlipRule.Cursor[] cursors;
    private final long[] stallMarkHit;
    private final long[] stallEpoch;
    private final long streamSeed;
    private final ProxyCounters counters;

    PumpFaults(Object signal, Faults every, Faults numbered, long streamSeed, ProxyCounters counters) {
        this.signal = signal;
        this.faults = new Faults[] {every, numbered};
        this.cursors = new FlipRule.Cursor[faults.length];
        this.stallMarkHit = new long[] {-1, -1};
        this.stallEpoch = new long[faults.length];
        this.streamSeed = streamSeed;
        this.counters = counters;
    }

    /** The longest delay asked for. */
    Duration delay() {
        Duration a = faults[0].delay();
        Duration b = faults[1].delay();
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The nearest drop or stall offset after {@code pos}, so a write can stop exactly there. */
    long nextMark(long pos) {
        long mark = Long.MAX_VALUE;
        for (Faults f : faults) {
            mark = nearer(mark, f.dropAfter(), pos);
            mark = nearer(mark, f.stallAfter(), pos);
        }
        return mark;
    }

    boolean dropDue(long pos) {
        for (Faults f : faults) {
            long d = f.dropAfter();
            if (d >= 0 && pos >= d) {
                return true;
            }
        }
        return false;
    }

    /**
     * Blocks while a stall holds this stream at {@code pos}: a {@link Faults#stall()} (if {@code dataWaiting}), or
     * a stall mark it has reached and that was not resumed since. Returns when resumed; throws
     * InterruptedException when the connection is closed.
     */
    void awaitGo(long pos, boolean dataWaiting) throws InterruptedException {
        synchronized (signal) {
            boolean counted = false;
            try {
                while (true) {
                    noteStallMarks(pos);
                    if (!held(dataWaiting)) {
                        return;
                    }
                    if (!counted) {
                        counters.heldNow.incrementAndGet();
                        counted = true;
                    }
                    signal.wait();
                }
            } finally {
                if (counted) {
                    counters.heldNow.decrementAndGet();
                }
            }
        }
    }

    /** Inverts the bytes the flip rules pick in {@code b[off, off + n)}; returns how many. */
    int flip(byte[] b, int off, int n, long pos) {
        int flipped = 0;
        for (int i = 0; i < faults.length; i++) {
            FlipRule rule = faults[i].flipRule();
            if (rule == null) {
                cursors[i] = null;
                continue;
            }
            if (cursors[i] == null || cursors[i].rule() != rule) {
                cursors[i] = new FlipRule.Cursor(rule, pos, streamSeed);
            }
            flipped += cursors[i].apply(b, off, n, pos);
        }
        return flipped;
    }

    private void noteStallMarks(long pos) {
        for (int i = 0; i < faults.length; i++) {
            long mark = faults[i].stallAfter();
            if (mark >= 0 && pos >= mark && stallMarkHit[i] != mark) {
                stallMarkHit[i] = mark;
                stallEpoch[i] = faults[i].resumes();
                counters.stallsHit.incrementAndGet();
            }
        }
    }

    private boolean held(boolean dataWaiting) {
        for (int i = 0; i < faults.length; i++) {
            Faults f = faults[i];
            if (dataWaiting && f.stalled()) {
                return true;
            }
            long mark = f.stallAfter();
            if (mark >= 0 && stallMarkHit[i] == mark && stallEpoch[i] == f.resumes()) {
                return true;
            }
        }
        return false;
    }

    private static long nearer(long mark, long candidate, long pos) {
        return candidate > pos && candidate < mark ? candidate : mark;
    }
}
