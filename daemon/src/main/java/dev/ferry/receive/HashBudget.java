package dev.ferry.receive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of chunk hashes all sessions of one receiver hold for their files in flight (an offer's expected and
 * computed hashes, allocated when the offer arrives), against {@link PeerLimits#maxHashBytes}: an offer that would
 * go past it is refused (BUSY) before anything is allocated, and the bytes come back when the file ends.
 * Thread-safe: sessions reserve and release from their own threads.
 */
final class HashBudget {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    HashBudget(long max) {
        this.max = max;
    }

    /** Takes {@code bytes} if they fit; false (nothing taken) if not. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long max() {
        return max;
    }

    /** What an offer of {@code chunkCount} chunks with {@code digestLength}-byte hashes makes a receiver hold. */
    static long cost(int chunkCount, int digestLength) {
        return 2L * chunkCount * digestLength;
    }
}
