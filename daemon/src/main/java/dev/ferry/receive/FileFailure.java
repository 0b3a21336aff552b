package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** One file could not be received; the session goes on. Carries the ERROR code the sender will see. */
final class FileFailure extends Exception {
    private final ErrorCode code;

    FileFailure(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    FileFailure(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }

    /** Maps a filesystem error to the code a sender can act on (wait for space, fix permissions, give up). */
    static FileFailure of(String what, IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : String.valueOf(e.getMessage());
        ErrorCode code;
        if (reason.contains("No space left on device") || reason.contains("Disk quota exceeded")) {
            code = ErrorCode.NO_SPACE;
        } else if (e instanceof AccessDeniedException || reason.contains("Permission denied")
                || reason.contains("Read-only file system") || reason.contains("Operation not permitted")) {
            code = ErrorCode.PERMISSION;
        } else {
            code = ErrorCode.IO;
        }
        return new FileFailure(code, what + ": " + reason, e);
    }
}
