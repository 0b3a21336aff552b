package dev.ferry.daemon;

import dev.ferry.time.FerryClock;

/**
 * Bytes per second over the last few seconds, from amounts added as they happen: a ring of one-second slots. The
 * current (partial) second is left out of the rate so that a fresh second does not halve it. Thread-safe (the
 * methods are synchronized: a handful of adds per chunk and a read per status request).
 */
final class RateWindow {
    static final int SECONDS = 5;

    private final FerryClock clock;
    private final long[] bytes = new long[SECONDS + 1];
    private final long[] slotSecond = new long[SECONDS + 1];

    RateWindow(FerryClock clock) {
        this.clock = clock;
        java.util.Arrays.fill(slotSecond, Long.MIN_VALUE);
    }

    synchronized void add(long n) {
        long second = Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
        int slot = (int) Math.floorMod(second, (long) bytes.length);
        if (slotSecond[slot] != second) {
            slotSecond[slot] = second;
            bytes[slot] = 0;
        }
        bytes[slot] += n;
    }

    /** The mean over the last {@link #SECONDS} whole seconds. */
    synchronized long bytesPerSecond() {
        long now = Math.floorDiv(clock.nanoTime(), 1_000_000_000L);
        long sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            long age = now - slotSecond[i];
            if (slotSecond[i] != Long.MIN_VALUE && age >= 1 && age <= SECONDS) {
                sum += bytes[i];
            }
        }
        return sum / SECONDS;
    }
}
