package dev.ferry.push;

import dev.ferry.time.FerryClock;

/**
 * How long the receiver has been silent, on the session's clock, and whether that counts against it: only while a
 * plan is under way is silence a failure; between plans the link's watchdog answers it with keep-alive PINGs. The
 * reader thread notes each frame, the writer thread marks plans, the writer and the watchdog read.
 */
final class ReceiverSilence {
    private final FerryClock clock;
    private volatile long lastHeardNs;
    private volatile boolean busy;

    ReceiverSilence(FerryClock clock) {
        this.clock = clock;
        this.lastHeardNs = clock.nanoTime();
    }

    /** Reader thread: the receiver sent a frame. */
    void heard() {
        lastHeardNs = clock.nanoTime();
    }

    /** A plan starts (silence now counts from here) or ends. */
    void busy(boolean on) {
        if (on) {
            lastHeardNs = clock.nanoTime();
        }
        busy = on;
    }

    boolean busy() {
        return busy;
    }

    /** Nanoseconds since the receiver last sent anything. */
    long silentNs() {
        return clock.nanoTime() - lastHeardNs;
    }
}
