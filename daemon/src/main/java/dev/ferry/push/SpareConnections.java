package dev.ferry.push;

import dev.ferry.time.FerryClock;

/**
 * The lanes of a one-shot push's {@link StripeCrew}: connections of their own, each opened (asking for parallel
 * streams) when its lane first gets a stripe, so that a push with no big file opens none; closed at the end. Each
 * lane is used by one stripe thread at a time; the array is guarded by this object's lock.
 */
final class SpareConnections implements StripeCrew.Lanes, AutoCloseable {
    private final PushSettings settings;
    private final FerryClock clock;
    private final PushConnection[] open;

    SpareConnections(PushSettings settings, FerryClock clock, int count) {
        this.settings = settings;
        this.clock = clock;
        this.open = new PushConnection[count];
    }

    @Override
    public PushConnection open(int lane) throws PushException {
        synchronized (this) {
            if (open[lane] != null) {
                return open[lane];
            }
        }
        PushConnection c = PushConnection.open(settings, TransferListener.NONE, clock, true); // (outside the lock: a handshake)
        synchronized (this) {
            open[lane] = c;
        }
        return c;
    }

    @Override
    public void broken(int lane) {
        PushConnection c;
        synchronized (this) {
            c = open[lane];
            open[lane] = null;
        }
        if (c != null) {
            c.close();
        }
    }

    /** BYE and close on every lane still open. */
    @Override
    public void close() {
        for (int i = 0; i < open.length; i++) {
            broken(i);
        }
    }
}
