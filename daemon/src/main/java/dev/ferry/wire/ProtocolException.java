package dev.ferry.wire;

import java.io.IOException;

/**
 * The peer broke the protocol (or, on the client side, the peer reported an error). What happens next is
 * given by {@link ErrorCode#fatal()}: a fatal code ends the connection, the others fail one file.
 */
public class ProtocolException extends IOException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
