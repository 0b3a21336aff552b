package dev.ferry.wire;

import java.io.EOFException;

/** The stream ended cleanly at a frame boundary: a routine disconnect, not a protocol error. */
public final class PeerClosedException extends EOFException {
    public PeerClosedException() {
        super("peer closed the connection");
    }
}
