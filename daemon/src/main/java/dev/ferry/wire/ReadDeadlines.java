package dev.ferry.wire;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that enforces the read timeouts of every {@link ChannelTransport}: it looks at the reads in
 * progress and closes the channel of one that has waited longer than its timeout. It looks every 1/20 of the
 * shortest timeout watched (at least every second, at most every 10 ms), so a timeout is honoured within 5%, and it
 * sleeps while nothing is watched.
 */
final class ReadDeadlines {
    private static final long MIN_TICK_NS = 10_000_000L;
    private static final long MAX_TICK_NS = 1_000_000_000L;

    private static final Set<ChannelTransport> WATCHED = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private ReadDeadlines() {
    }

    static void watch(ChannelTransport t) {
        WATCHED.add(t);
        wake();
    }

    static void forget(ChannelTransport t) {
        WATCHED.remove(t);
    }

    private static synchronized void wake() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("ferry-read-deadlines").start(ReadDeadlines::run);
        } else {
            LockSupport.unpark(thread);
        }
    }

    private static void run() {
        while (true) {
            if (WATCHED.isEmpty()) {
                LockSupport.park(); // watch() wakes us
                continue;
            }
            long tick = MAX_TICK_NS;
            for (ChannelTransport t : WATCHED) {
                tick = Math.min(tick, Math.max(MIN_TICK_NS, t.readTimeoutNs() / 20));
            }
            LockSupport.parkNanos(tick);
            long now = System.nanoTime();
            WATCHED.removeIf(t -> t.isClosed() || t.expireIfOverdue(now));
        }
    }
}
