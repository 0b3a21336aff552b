package dev.ferry.push;

import dev.ferry.time.FerryClock;

/**
 * A push session kept open across plans, for the daemon: a change costs no TCP connect and no handshake (in a
 * running daemon those were ~10 ms of a ~25 ms change latency). One owner thread; after a {@link PushException}
 * the connection is broken: close it and open a new one.
 */
public final class PushConnection implements AutoCloseable {
    private final PushSession session;

    private PushConnection(PushSession session) {
        this.session = session;
    }

    public static PushConnection open(PushSettings settings) throws PushException {
        return open(settings, TransferListener.NONE);
    }

    /** @param listener hears each file's progress, on the thread that calls {@link #send} */
    public static PushConnection open(PushSettings settings, TransferListener listener) throws PushException {
        return open(settings, listener, FerryClock.system());
    }

    /** @param clock what resend backoffs, keep-alives and the receiver's silence are timed by */
    public static PushConnection open(PushSettings settings, TransferListener listener, FerryClock clock) throws PushException {
        return open(settings, listener, clock, false);
    }

    /** @param streams ask for parallel streams: this connection may stripe its big files over a crew, or join others' */
    public static PushConnection open(PushSettings settings, TransferListener listener, FerryClock clock, boolean streams)
            throws PushException {
        PushSession s = new PushSession(settings, null, DigestCache.NONE, clock);
        s.listener(listener);
        s.streams(streams);
        s.open();
        return new PushConnection(s);
    }

    /** Carries out {@code plan}; returns when every part of it is done or failed. */
    public PushResult send(PushPlan plan) throws PushException {
        return session.send(plan);
    }

    /** Carries out {@code plan}, handing stripes of its big files to {@code crew}'s connections. */
    public PushResult send(PushPlan plan, StripeCrew crew) throws PushException {
        return session.send(plan, crew);
    }

    /** Carries out a stripe of a file another connection offered; then {@link #broken} if this connection failed. */
    StripeResult stripe(StripeJob job) throws PushException {
        return session.stripe(job);
    }

    /** A plan or stripe failed on it: close it and open another. */
    boolean broken() {
        return session.broken();
    }

    /** BYE and close; never throws. */
    @Override
    public void close() {
        session.close();
    }
}
