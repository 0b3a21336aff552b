package dev.ferry.push;

import dev.ferry.wire.Frame;
import java.io.IOException;

/** The whole push failed (cannot connect, refused, connection lost): nothing more will be sent. */
public final class PushException extends IOException {
    public PushException(String message) {
        super(message);
    }

    public PushException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The receiver ended the session with {@code e} (a session-level ERROR). */
    static PushException refused(Frame.Error e) {
        return new PushException("receiver refused: " + e.message() + " (" + e.code() + ")");
    }
}
