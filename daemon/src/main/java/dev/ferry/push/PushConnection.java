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
        PushSession s = new PushSession(settings, null, DigestCache.NONE, clock);
        s.listener(listener);
        s.open();
        return new PushConnection(s);
    }

    /** Carries out {@code plan}; returns when every part of it is done or failed. */
    public PushResult send(PushPlan plan) throws PushException {
        return session.send(plan);
    }

    /** BYE and close; never throws. */
    @Override
    public void close() {
        session.close();
    }
}
