package dev.ferry.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What a {@link FaultProxy} did so far; updated by its threads, read with {@link #snapshot()}. */
final class ProxyCounters {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong upstreamFailures = new AtomicLong();
    final AtomicLong bytesUp = new AtomicLong();
    final AtomicLong bytesDown = new AtomicLong();
    final AtomicLong flipsUp = new AtomicLong();
    final AtomicLong flipsDown = new AtomicLong();
    final AtomicLong drops = new AtomicLong();
    final AtomicLong stallsHit = new AtomicLong();
    final AtomicLong kills = new AtomicLong();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger heldNow = new AtomicInteger();

    void forwarded(Direction d, int bytes, int flips) {
        (d == Direction.UPSTREAM ? bytesUp : bytesDown).addAndGet(bytes);
        if (flips > 0) {
            (d == Direction.UPSTREAM ? flipsUp : flipsDown).addAndGet(flips);
        }
    }

    ProxyStats snapshot() {
        return new ProxyStats(accepted.get(), refused.get(), upstreamFailures.get(), bytesUp.get(), bytesDown.get(),
                flipsUp.get(), flipsDown.get(), drops.get(), stallsHit.get(), kills.get(), open.get(), heldNow.get());
    }
}
