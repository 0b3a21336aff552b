package dev.ferry.receive;

import dev.ferry.disk.NotBeneathException;
import dev.ferry.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

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

    /** The kernel refused the path: it went through a symlink (a refused path, as the name checks' are). */
    boolean refusedPath() {
        return getCause() instanceof NotBeneathException;
    }

    /** Maps a filesystem error to the code a sender can act on (wait for space, fix permissions, give up). */
    static FileFailure of(String what, IOException e) {
        String reason = reason(e);
        ErrorCode code;
        if (e instanceof NotBeneathException) {
            return new FileFailure(ErrorCode.BAD_PATH, "refused path: " + SafePaths.throughSymlink(((NotBeneathException) e).getFile()), e);
        }
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

    /**
     * The OS's words for {@code e}. The JDK gives EACCES, ENOENT and EEXIST no reason (their message is then just
     * the receiver's absolute paths, which say nothing to the sender and are none of its business), so those are
     * named here as strerror names them.
     */
    static String reason(IOException e) {
        if (!(e instanceof FileSystemException fse)) {
            return String.valueOf(e.getMessage());
        }
        if (fse.getReason() != null) {
            return fse.getReason();
        }
        return switch (fse) {
            case AccessDeniedException a -> "Permission denied";
            case NoSuchFileException n -> "No such file or directory";
            case FileAlreadyExistsException f -> "File exists";
            case DirectoryNotEmptyException d -> "Directory not empty";
            default -> fse.getClass().getSimpleName();
        };
    }
}
