package dev.ferry.wire;

import java.io.EOFException;

/**
 * The stream ended: at a frame boundary (a routine disconnect), or in the middle of a frame (the peer died or
 * the link dropped while it was sending). Either way the peer is gone and nothing can be answered; not a protocol
 * error.
 */
public final class PeerClosedException extends EOFException {
    public PeerClosedException() {
        super("peer closed the connection");
    }

    /** The stream ended inside a frame; {@code detail} says where. */
    public PeerClosedException(String detail) {
        super(detail);
    }

    /** True if the stream ended inside a frame rather than between two. */
    public boolean midFrame() {
        return !"peer closed the connection".equals(getMessage());
    }
}
