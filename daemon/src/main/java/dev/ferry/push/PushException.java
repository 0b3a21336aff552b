package dev.ferry.push;

import java.io.IOException;

/** The whole push failed (cannot connect, refused, connection lost): nothing more will be sent. */
public final class PushException extends IOException {
    public PushException(String message) {
        super(message);
    }

    public PushException(String message, Throwable cause) {
        super(message, cause);
    }
}
