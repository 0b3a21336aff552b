package dev.ferry.auth;

import java.util.Objects;

/**
 * A sender's TLS: the identity it presents and the receiver's ID it pins (from {@code ferry://ID@HOST:PORT/FOLDER}).
 * The handshake fails, before any frame, if the receiver presents another key.
 */
public record SenderPin(Identity me, PeerId receiver) {
    public SenderPin {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(receiver, "receiver");
    }
}
