package dev.ferry.push;

import java.nio.file.Path;

/**
 * One thing to push: a regular file or a directory, with the path it gets on the receiver ('/'-separated,
 * relative to the folder root) and the metadata ferry preserves.
 */
public record SourceEntry(Path local, String remotePath, boolean directory, long size, long mtimeSeconds, int mtimeNanos,
                          int mode) {
    /** Stats {@code local} now (not following symlinks). */
    public static SourceEntry of(Path local, String remotePath) throws java.io.IOException {
        return SourceWalker.entry(local, remotePath, java.nio.file.Files.isDirectory(local, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
}
