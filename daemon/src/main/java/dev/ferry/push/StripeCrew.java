package dev.ferry.push;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other connections of a target that a plan may hand stripes of a big file to (parallel streams: one file's chunks
 * over several TCP connections, so that one TCP window does not hold a long fat link back). Each lane runs one stripe
 * at a time on a thread of its own ({@code ferry-push-stripe}), on a connection its {@link Lanes} opens on first use;
 * the result goes to the owner's callback. Made and closed by the thread that carries the plan out (a one-shot push's
 * {@code main}, a daemon target's thread), which {@link #close} makes wait for the stripes still running; lanes are
 * taken by the plan's writer thread and given back by the stripe threads, under this object's lock.
 */
public final class StripeCrew implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StripeCrew.class);

    /** No other connection: nothing is striped. */
    public static final StripeCrew NONE = new StripeCrew(0, null, SessionThreads.VIRTUAL, Duration.ZERO);

    /** Where a lane's connection comes from. */
    public interface Lanes {
        /** Lane {@code lane}'s connection, opened (with parallel streams asked for) if it is not open yet. */
        PushConnection open(int lane) throws PushException;

        /** Lane {@code lane}'s connection failed: closed, and opened again on its next use. */
        void broken(int lane);
    }

    private final Lanes lanes;
    private final Duration minRtt;
    private final SessionThreads threads;
    private final Deque<Integer> idle = new ArrayDeque<>();
    private final List<Thread> running = new ArrayList<>();
    private final List<StripeJob> jobs = new ArrayList<>();
    /** How long {@link #close} waits for a cancelled stripe (it notices within a fraction of a second). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /**
     * @param count  how many lanes (connections besides the one that carries the plan)
     * @param minRtt a file is split only over a link at least this far away (its handshake's round trip): nearer, one
     *               TCP window is not what holds a file back, and more streams only cost CPU
     */
    public StripeCrew(int count, Lanes lanes, SessionThreads threads, Duration minRtt) {
        this.lanes = lanes;
        this.minRtt = minRtt;
        this.threads = threads;
        for (int i = 0; i < count; i++) {
            idle.add(i);
        }
    }

    /** Whether a link with a round trip of {@code rttNs} is far enough away to split files over. */
    boolean worthIt(long rttNs) {
        return rttNs >= minRtt.toNanos();
    }

    /** Lanes free now. */
    synchronized int idle() {
        return idle.size();
    }

    /** Starts {@code job} on a free lane; {@code done} hears how it ended. False if no lane is free. */
    synchronized boolean start(StripeJob job, Consumer<StripeResult> done) {
        Integer lane = idle.poll();
        if (lane == null) {
            return false;
        }
        running.removeIf(t -> !t.isAlive());
        jobs.add(job);
        running.add(threads.start("ferry-push-stripe-" + lane, () -> run(lane, job, done)));
        return true;
    }

    private void run(int lane, StripeJob job, Consumer<StripeResult> done) {
        StripeResult result;
        try {
            PushConnection c = lanes.open(lane);
            result = c.stripe(job);
            if (c.broken()) {
                log.debug("stripe lane={} path={} lost its connection: {}", lane, job.remotePath(), result.failure());
                lanes.broken(lane);
            }
        } catch (PushException e) {
            log.debug("stripe lane={} path={} failed: {}", lane, job.remotePath(), e.getMessage());
            lanes.broken(lane);
            result = StripeResult.failed(job, e.getMessage());
        } catch (RuntimeException e) {
            log.error("stripe lane={} path={}: internal error", lane, job.remotePath(), e);
            lanes.broken(lane);
            result = StripeResult.failed(job, "internal error: " + e);
        }
        synchronized (this) {
            idle.add(lane);
            jobs.remove(job);
        }
        done.accept(result);
    }

    /**
     * The plan is over (done or failed): stripes still running are cancelled (their files ended with the plan) and
     * waited for, at most {@link #STOP_WAIT} each.
     */
    @Override
    public void close() {
        List<Thread> all;
        synchronized (this) {
            jobs.forEach(StripeJob::cancel);
            jobs.clear();
            all = List.copyOf(running);
            running.clear();
        }
        for (Thread t : all) {
            try {
                if (!t.join(STOP_WAIT)) {
                    log.warn("stripe thread {} still running after {}", t.getName(), STOP_WAIT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
