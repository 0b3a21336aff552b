package dev.ferry.push;

import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/**
 * The flow control of one plan: which files have chunks to send (in turn, the oldest first), how many chunk bytes
 * are sent and not yet acknowledged (no more go out while {@code maxBytesInFlight} are), and the refused chunks
 * waiting out their backoff before they are sent again (the other files go on meanwhile). Owned by the writer
 * thread; time from the session's clock.
 */
final class ChunkWindow {
    /** A file whose refused chunk waits out its backoff before it is sent again. */
    private record Resend(long dueNs, OutgoingFile file, int index) {
    }

    private final long maxBytesInFlight;
    private final Backoff backoff;
    private final FerryClock clock;
    private final ArrayDeque<OutgoingFile> sendQueue = new ArrayDeque<>();
    private final PriorityQueue<Resend> resendAt = new PriorityQueue<>(Comparator.comparingLong(Resend::dueNs));
    private long unackedBytes;

    ChunkWindow(long maxBytesInFlight, Backoff backoff, FerryClock clock) {
        this.maxBytesInFlight = maxBytesInFlight;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** The file whose chunk goes next, if the window has room; else null. */
    OutgoingFile next() {
        OutgoingFile next = sendQueue.peekFirst();
        return next != null && unackedBytes < maxBytesInFlight ? next : null;
    }

    /** {@code f} has chunks to send: it takes its turn behind the files already waiting. */
    void queue(OutgoingFile f) {
        if (!sendQueue.contains(f)) {
            sendQueue.add(f);
        }
    }

    /** {@code f} has nothing (more) to send for now. */
    void unqueue(OutgoingFile f) {
        sendQueue.remove(f);
    }

    /** A chunk of {@code length} bytes went out. */
    void sent(int length) {
        unackedBytes += length;
    }

    /** The receiver acknowledged {@code bytes} more. */
    void acked(long bytes) {
        unackedBytes -= bytes;
    }

    /** A chunk of {@code length} bytes was refused: it is no longer in flight. */
    void refused(int length) {
        unackedBytes -= length;
    }

    /** Chunk {@code index} of {@code f} goes out again after the backoff of its {@code attempts}-th refusal. */
    void resendLater(OutgoingFile f, int index, int attempts) {
        Duration wait = backoff.delay(attempts, ThreadLocalRandom.current());
        resendAt.add(new Resend(clock.nanoTime() + wait.toNanos(), f, index));
    }

    /** {@code f} is done with: out of turn, its unacknowledged bytes out of the window. */
    void drop(OutgoingFile f) {
        sendQueue.remove(f);
        unackedBytes -= f.unackedBytes();
    }

    /** Queues the refused chunks whose backoff ended, ahead of the rest, if their file ({@code live} id) still is. */
    void releaseDueResends(IntPredicate live) {
        long now = clock.nanoTime();
        while (!resendAt.isEmpty() && resendAt.peek().dueNs() <= now) {
            Resend r = resendAt.poll();
            OutgoingFile f = r.file();
            if (live.test(f.id)) {
                f.resendLater(r.index());
                if (!sendQueue.contains(f)) {
                    sendQueue.addFirst(f);
                }
            }
        }
    }

    /** How long the writer may wait for an event: {@code idleNs}, or less if a resend falls due sooner. */
    long waitNs(long idleNs) {
        if (resendAt.isEmpty()) {
            return idleNs;
        }
        return Math.min(idleNs, clock.nanosUntil(resendAt.peek().dueNs()));
    }
}
