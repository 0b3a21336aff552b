package dev.ferry.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * The faults of one direction ({@link Direction}) in one scope of a {@link FaultProxy}: every connection, or only
 * the n-th one. Any thread may change them at any time; the proxy's writer threads read them before each write, so
 * a change applies to connections already open. Offsets and byte counts are per connection and per direction,
 * counted from the first byte that direction forwarded.
 *
 * <p>Writes happen under the proxy-wide {@code signal} monitor and wake every writer waiting on it (a stalled one
 * re-checks whether it may go on); reads are plain volatile reads.
 */
public final class Faults {
    private final Object signal;
    private volatile long dropAfter = -1;
    private volatile long stallAfter = -1;
    private volatile boolean stalled;
    private volatile long resumes;
    private volatile FlipRule flip;
    private volatile Duration delay = Duration.ZERO;

    Faults(Object signal) {
        this.signal = signal;
    }

    /**
     * Resets the connection (RST on both sockets) once {@code n} bytes have been forwarded in this direction; the
     * n-th byte is written first. Bytes the proxy wrote but the peer had not yet read may be lost with the RST, as
     * on a real network. 0 resets a connection before it forwards anything.
     */
    public Faults dropAfterBytes(long n) {
        requireCount("dropAfterBytes n", n);
        return set(() -> dropAfter = n);
    }

    /** Stops forwarding this direction now, holding what was read, sockets open, until {@link #resume()}. */
    public Faults stall() {
        return set(() -> stalled = true);
    }

    /**
     * Forwards exactly {@code n} bytes of this direction, then holds the rest (sockets open) until
     * {@link #resume()}. Applies once per connection; a stream already past {@code n} stalls at once.
     */
    public Faults stallAfterBytes(long n) {
        requireCount("stallAfterBytes n", n);
        return set(() -> stallAfter = n);
    }

    /** Ends {@link #stall()} and releases every stream held by {@link #stallAfterBytes(long)}. */
    public Faults resume() {
        return set(() -> {
            stalled = false;
            resumes++;
        });
    }

    /** Inverts the byte at {@code offset}. */
    public Faults flipByteAt(long offset) {
        return flip(new FlipRule.At(offset));
    }

    /** Inverts the bytes at offsets {@code k, 2k, 3k, ...}. */
    public Faults flipEvery(long k) {
        return flip(new FlipRule.Every(k));
    }

    /** Inverts each byte with probability {@code rate}; the same seed damages the same offsets. */
    public Faults flipRandomly(double rate, long seed) {
        return flip(new FlipRule.Randomly(rate, seed));
    }

    /** Replaces the flip rule (one rule at a time); it starts at the next byte each stream forwards. */
    public Faults flip(FlipRule rule) {
        Objects.requireNonNull(rule, "rule");
        return set(() -> flip = rule);
    }

    /**
     * Delivers each read {@code oneWay} after it arrived, without capping throughput at one read per delay: reads
     * queue up while they wait, up to {@value Pump#MAX_QUEUED_BYTES} bytes per stream, so the ceiling is that much
     * per delay (160 MiB/s at 25 ms). Applies to what is read after the change.
     */
    public Faults delay(Duration oneWay) {
        if (oneWay.isNegative()) {
            throw new IllegalArgumentException("delay=" + oneWay + " must not be negative");
        }
        return set(() -> delay = oneWay);
    }

    /** Removes every fault of this direction and scope, releasing held streams. */
    public Faults clear() {
        return set(() -> {
            dropAfter = -1;
            stallAfter = -1;
            stalled = false;
            resumes++;
            flip = null;
            delay = Duration.ZERO;
        });
    }

    long dropAfter() {
        return dropAfter;
    }

    long stallAfter() {
        return stallAfter;
    }

    boolean stalled() {
        return stalled;
    }

    long resumes() {
        return resumes;
    }

    FlipRule flipRule() {
        return flip;
    }

    Duration delay() {
        return delay;
    }

    private Faults set(Runnable change) {
        synchronized (signal) {
            change.run();
            signal.notifyAll();
        }
        return this;
    }

    private static void requireCount(String what, long n) {
        if (n < 0) {
            throw new IllegalArgumentException(what + "=" + n + " must be >= 0");
        }
    }
}
