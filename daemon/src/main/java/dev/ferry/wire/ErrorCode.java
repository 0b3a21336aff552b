package dev.ferry.wire;

/**
 * Reason codes carried by ERROR and NACK frames. Codes are stable protocol numbers: add, never renumber.
 * {@link #fatal()} says whether the connection ends after an ERROR with this code.
 */
public enum ErrorCode {
    /** Malformed frame, unexpected frame in this state, limit exceeded: the peer is dropped. */
    PROTOCOL(1, true),
    UNSUPPORTED_VERSION(2, true),
    AUTH_FAILED(3, true),
    UNKNOWN_FOLDER(4, true),
    /** A path that is absolute, has "..", NUL, escapes through a symlink, or names the partial folder. */
    BAD_PATH(5, false),
    TOO_LARGE(6, false),
    /** Another connection is writing the same path right now. */
    BUSY(7, false),
    IO(8, false),
    NO_SPACE(9, false),
    PERMISSION(10, false),
    /** The strong hash of a chunk or of the whole file does not match the OFFER. */
    HASH_MISMATCH(11, false),
    /** The CRC32C of a CHUNK did not match its bytes (NACK reason: the chunk is re-sent). */
    CRC_MISMATCH(12, false),
    UNSUPPORTED_HASH(13, false),
    /** The receiver is at its connection limit or shutting down. */
    UNAVAILABLE(14, true),
    TIMEOUT(15, true),
    INTERNAL(16, false),
    /** RENAME's source is not there (the sender then sends the file instead). */
    NOT_FOUND(17, false);

    private final int code;
    private final boolean fatal;

    ErrorCode(int code, boolean fatal) {
        this.code = code;
        this.fatal = fatal;
    }

    public int code() {
        return code;
    }

    public boolean fatal() {
        return fatal;
    }

    /** Unknown codes from a newer peer map to {@link #INTERNAL} rather than failing the decode. */
    public static ErrorCode byCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
