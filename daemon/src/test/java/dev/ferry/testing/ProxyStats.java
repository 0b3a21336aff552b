package dev.ferry.testing;

/**
 * A snapshot of a {@link FaultProxy}'s counters; every number is exact, so tests can assert them. Drops, kills,
 * refusals and upstream failures are counted before the peers see the reset; bytes and flips right after the write
 * that carried them, so a peer may hold the bytes an instant before the count shows them (await the count, or
 * assert once a fault or the end of the connection has been seen).
 *
 * @param accepted connections accepted and handed to the upstream side (refused ones excluded)
 * @param refused connections reset at once because of {@link FaultProxy#refuseConnections(boolean)}
 * @param upstreamFailures accepted connections whose upstream server could not be reached (client reset)
 * @param bytesUp bytes forwarded client → server, over all connections
 * @param bytesDown bytes forwarded server → client
 * @param flipsUp bytes inverted client → server
 * @param flipsDown bytes inverted server → client
 * @param drops connections reset by a drop-after-bytes fault
 * @param stallsHit stall-after-bytes marks reached (once per stream and mark)
 * @param kills connections reset by {@link FaultProxy#killAll()}
 * @param open connections open now
 * @param heldNow streams blocked right now by a stall (with data waiting, or at a stall mark)
 */
public record ProxyStats(long accepted, long refused, long upstreamFailures, long bytesUp, long bytesDown, long flipsUp,
        long flipsDown, long drops, long stallsHit, long kills, int open, int heldNow) {

    public long bytes(Direction d) {
        return d == Direction.UPSTREAM ? bytesUp : bytesDown;
    }

    public long flips(Direction d) {
        return d == Direction.UPSTREAM ? flipsUp : flipsDown;
    }

    /** Every fault that fired: flips, drops, stall marks reached, kills and refusals. */
    public long faultsInjected() {
        return flipsUp + flipsDown + drops + stallsHit + kills + refused;
    }

    /** One line of {@code key=value} pairs, as {@code FaultProxy}'s {@code stats} command prints it. */
    public String line() {
        return "accepted=" + accepted + " refused=" + refused + " upstream-failures=" + upstreamFailures + " bytes-up="
                + bytesUp + " bytes-down=" + bytesDown + " flips-up=" + flipsUp + " flips-down=" + flipsDown + " drops="
                + drops + " stalls-hit=" + stallsHit + " kills=" + kills + " open=" + open + " held=" + heldNow;
    }
}
