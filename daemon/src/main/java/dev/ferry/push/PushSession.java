package dev.ferry.push;

import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * One connection carrying plans: {@link #open}, then {@link #send} one plan after another (a one-shot push sends
 * one, a daemon target many), then {@link #close}. The calling thread is the writer: it carries each plan out as a
 * fresh {@link PlanRun}. Two kinds of virtual threads feed it through one event queue: the reader (frames from the
 * receiver, for the whole connection) and, per plan, the hashers. After a failed plan the session is broken.
 */
final class PushSession {
    private final PushSettings settings;
    private final DigestCache digests;
    private final FerryClock clock;
    private final PushPlan oneShotPlan;
    private TransferListener listener = TransferListener.NONE;
    /** Ask the receiver for parallel streams at the handshake. */
    private boolean streams;
    private final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
    private int nextId = 1;
    private SessionParts parts;
    private PushLink link;
    private volatile boolean broken;

    PushSession(PushSettings settings, PushPlan oneShotPlan) {
        this(settings, oneShotPlan, DigestCache.NONE, FerryClock.system());
    }

    /** @param oneShotPlan what {@link #run} carries out; null for a session that is given plans by {@link #send} */
    PushSession(PushSettings settings, PushPlan oneShotPlan, DigestCache digests, FerryClock clock) {
        this.settings = settings;
        this.oneShotPlan = oneShotPlan;
        this.digests = digests;
        this.clock = clock;
    }

    /** Who hears each file's progress (the daemon's journal); set before {@link #open}. */
    void listener(TransferListener l) {
        this.listener = l;
    }

    /** One-shot: open, carry out the plan given to the constructor, close. */
    PushResult run() throws PushException {
        return run(StripeCrew.NONE);
    }

    /** The same, handing stripes of big files to {@code crew}. */
    PushResult run(StripeCrew crew) throws PushException {
        open();
        try {
            return send(oneShotPlan, crew);
        } finally {
            close();
        }
    }

    /** Ask the receiver for parallel streams (this session may SHARE or JOIN big files); set before {@link #open}. */
    void streams(boolean on) {
        this.streams = on;
    }

    /** Connects, authenticates and starts the reader; the session then takes plans until {@link #close}. */
    void open() throws PushException {
        link = PushLink.open(settings, clock, streams, f -> events.add(new SessionEvent.Arrived(f)),
                e -> events.add(new SessionEvent.ReadFailed(e)));
        FilePreparer preparer = new FilePreparer(settings.algorithm(), settings.chunkSize(), settings.inlineMaxBytes(), digests);
        parts = new SessionParts(settings, digests, listener, clock, link, () -> nextId++, events, preparer,
                new ChunkBuffer(settings.chunkSize(), settings.algorithm()), new Semaphore(1, true));
    }

    /**
     * Carries out one plan on the open session and returns when all of it is done or failed. After a
     * {@link PushException} the session is broken: close it and open another.
     */
    PushResult send(PushPlan plan) throws PushException {
        return send(plan, StripeCrew.NONE);
    }

    /** The same, handing stripes of big files to {@code crew}'s connections. */
    PushResult send(PushPlan plan, StripeCrew crew) throws PushException {
        if (broken) {
            throw new PushException("session to " + link.target() + " is broken");
        }
        link.busy(true);
        PlanRun run = new PlanRun(parts, plan, crew);
        try {
            return run.run();
        } catch (PushException e) {
            broken = true;
            throw e;
        } catch (IOException e) {
            broken = true;
            throw new PushException("connection to " + link.target() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            broken = true;
            Thread.currentThread().interrupt();
            throw new PushException("interrupted");
        } finally {
            run.closeSources();
            if (broken) {
                link.closeSocket();
            }
            run.stopHasher();
            link.busy(false);
        }
    }

    /**
     * Carries out a stripe of a file another connection offered ({@link StripeRun}). If this connection fails
     * meanwhile it is {@link #broken} afterwards, and the result keeps what was acknowledged before.
     */
    StripeResult stripe(StripeJob job) throws PushException {
        if (broken) {
            throw new PushException("session to " + link.target() + " is broken");
        }
        link.busy(true);
        StripeRun run = new StripeRun(parts, job);
        try {
            return run.run();
        } catch (IOException e) {
            broken = true;
            return run.result(e instanceof PushException ? e.getMessage()
                    : "connection to " + link.target() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            broken = true;
            Thread.currentThread().interrupt();
            return run.result("interrupted");
        } finally {
            if (broken) {
                link.closeSocket();
            }
            link.busy(false);
        }
    }

    /** After a failed plan or stripe: the connection is of no further use. */
    boolean broken() {
        return broken;
    }

    /** Says BYE if the session is healthy, then closes the connection. Never throws. */
    void close() {
        if (link != null) {
            link.close(!broken);
        }
        broken = true;
    }
}
