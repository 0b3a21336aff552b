package dev.ferry.testing;

/**
 * The faults for one set of connections of a {@link FaultProxy} (every connection, or only the n-th): one
 * {@link Faults} per {@link Direction}. Thread-safe; see {@link Faults}.
 */
public final class FaultScope {
    private final Faults upstream;
    private final Faults downstream;

    FaultScope(Object signal) {
        this.upstream = new Faults(signal);
        this.downstream = new Faults(signal);
    }

    /** Client → server. */
    public Faults upstream() {
        return upstream;
    }

    /** Server → client. */
    public Faults downstream() {
        return downstream;
    }

    public Faults direction(Direction d) {
        return d == Direction.UPSTREAM ? upstream : downstream;
    }

    /** Stalls both directions. */
    public FaultScope stall() {
        upstream.stall();
        downstream.stall();
        return this;
    }

    /** Resumes both directions. */
    public FaultScope resume() {
        upstream.resume();
        downstream.resume();
        return this;
    }

    /** Delays both directions by {@code oneWay} each (so the round trip grows by twice that). */
    public FaultScope delay(java.time.Duration oneWay) {
        upstream.delay(oneWay);
        downstream.delay(oneWay);
        return this;
    }

    public FaultScope clear() {
        upstream.clear();
        downstream.clear();
        return this;
    }
}
