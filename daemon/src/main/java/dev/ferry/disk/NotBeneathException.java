package dev.ferry.disk;

import java.nio.file.FileSystemException;

/**
 * A path that could not be resolved beneath its folder root without following a symlink (or without leaving the
 * root): the kernel refused it (ELOOP under RESOLVE_NO_SYMLINKS or O_NOFOLLOW, EXDEV under RESOLVE_BENEATH). Whoever
 * asked treats it as a bad path, never as a passing I/O error.
 */
public final class NotBeneathException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** @param file the path relative to the root */
    public NotBeneathException(String file) {
        super(file, null, "goes through a symlink or leaves the folder");
    }
}
