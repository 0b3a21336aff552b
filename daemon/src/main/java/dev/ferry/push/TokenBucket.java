package dev.ferry.push;

import dev.ferry.time.FerryClock;
import dev.ferry.wire.WritePacer;
import java.io.InterruptedIOException;

/**
 * A bandwidth limit ({@code bwlimit}): a token bucket of bytes, refilled at {@code bytesPerSecond} on the injected
 * clock and holding at most {@link #burstBytes} (a tenth of a second's worth, at least 16 KiB), so a link idle for a
 * while gets no more than that burst. A write takes its bytes, into debt if need be, and sleeps until the debt is
 * paid before it goes on: a chunk larger than the bucket still goes in one write, and the average rate holds over
 * any span longer than a chunk. No thread spins. One bucket is shared by every connection of a target (their writes come from
 * different threads, hence the lock).
 */
final class TokenBucket implements WritePacer {
    /** How a waiting write sleeps: {@link Thread#sleep} in production; a test's advances its {@code ManualClock}. */
    @FunctionalInterface
    interface Pause {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final long MIN_BURST = 16 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final long burstBytes;
    private final FerryClock clock;
    private final Pause pause;
    /** Bytes that may go now; negative: a debt the next write waits out. Guarded by this. */
    private long tokens;
    private long refilledAtNs;

    TokenBucket(long bytesPerSecond, FerryClock clock, Pause pause) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond + " must be positive");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = Math.max(MIN_BURST, bytesPerSecond / 10);
        this.clock = clock;
        this.pause = pause;
        this.tokens = burstBytes;
        this.refilledAtNs = clock.nanoTime();
    }

    /** A bucket on {@code clock} whose waits sleep the writing thread. */
    static TokenBucket sleeping(long bytesPerSecond, FerryClock clock) {
        return new TokenBucket(bytesPerSecond, clock, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    long burstBytes() {
        return burstBytes;
    }

    @Override
    public void beforeWrite(long bytes) throws InterruptedIOException {
        long waitNs;
        synchronized (this) {
            refill();
            tokens -= bytes;
            // the bytes go once they are paid for: a debt is waited out before the write, not after it
            waitNs = tokens < 0 ? nanosFor(-tokens) : 0;
        }
        if (waitNs > 0) {
            try {
                pause.sleepNanos(waitNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while held to bwlimit " + bytesPerSecond + " B/s");
            }
        }
    }

    private void refill() {
        long now = clock.nanoTime();
        long elapsed = now - refilledAtNs;
        long missing = burstBytes - tokens;
        if (missing <= 0 || elapsed >= nanosFor(missing)) {
            tokens = burstBytes;
            refilledAtNs = now;
            return;
        }
        if (elapsed <= 0) {
            return;
        }
        // elapsed < the time to earn 'missing' (a burst plus at most a few chunks of debt): no overflow here
        long earned = elapsed * bytesPerSecond / NANOS_PER_SECOND;
        tokens += earned;
        refilledAtNs += earned * NANOS_PER_SECOND / bytesPerSecond; // the remainder carries over to the next refill
    }

    private long nanosFor(long bytes) {
        return Math.ceilDiv(Math.multiplyExact(bytes, NANOS_PER_SECOND), bytesPerSecond);
    }
}
