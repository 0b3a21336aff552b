package dev.ferry.push;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;

/** The whole push failed (cannot connect, refused, connection lost): nothing more will be sent. */
public final class PushException extends IOException {
    /** The code of the receiver's session-level ERROR, null when the push failed for another reason. */
    private final ErrorCode refusedWith;

    public PushException(String message) {
        this(message, null, null);
    }

    public PushException(String message, Throwable cause) {
        this(message, cause, null);
    }

    private PushException(String message, Throwable cause, ErrorCode refusedWith) {
        super(message, cause);
        this.refusedWith = refusedWith;
    }

    /** The receiver ended the session with {@code e} (a session-level ERROR). */
    static PushException refused(Frame.Error e) {
        return new PushException("receiver refused: " + e.message() + " (" + e.code() + ")", null, e.code());
    }

    /**
     * Credentials did not work, found on this side: the receiver presented an ID other than the pinned one, or the two
     * ends disagree on TLS. Like {@link #refused} with AUTH_FAILED, retrying at once will not help.
     */
    static PushException credentials(String message, Throwable cause) {
        return new PushException(message, cause, ErrorCode.AUTH_FAILED);
    }

    /** The receiver refused our credentials: trying again at once will not help until someone fixes the token. */
    public boolean credentialsRefused() {
        return refusedWith == ErrorCode.AUTH_FAILED;
    }
}
