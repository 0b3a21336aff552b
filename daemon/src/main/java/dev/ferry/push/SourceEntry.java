package dev.ferry.push;

import dev.ferry.disk.PathStat;
import dev.ferry.disk.Stat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * One thing to push: a regular file or a directory, with the path it gets on the receiver ('/'-separated,
 * relative to the folder root) and the metadata ferry preserves.
 */
public record SourceEntry(Path local, String remotePath, boolean directory, long size, long mtimeSeconds, int mtimeNanos,
                          int mode) {
    /** Stats {@code local} now (not following symlinks). */
    public static SourceEntry of(Path local, String remotePath) throws IOException {
        return stat(local, remotePath, Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS));
    }

    /** Stats {@code local} now (not following symlinks), as a file or as a directory. */
    static SourceEntry stat(Path local, String remotePath, boolean directory) throws IOException {
        Stat s = PathStat.lstat(local);
        return new SourceEntry(local, remotePath, directory, directory ? 0 : s.size(), s.mtimeSeconds(), s.mtimeNanos(),
                s.mode());
    }

    /** The same entry with its size, mtime and mode as they are now. */
    SourceEntry restat() throws IOException {
        return stat(local, remotePath, directory);
    }
}
