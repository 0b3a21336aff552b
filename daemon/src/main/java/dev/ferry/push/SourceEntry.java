package dev.ferry.push;

import java.nio.file.Path;

/**
 * One thing to push: a regular file or a directory, with the path it gets on the receiver ('/'-separated,
 * relative to the folder root) and the metadata ferry preserves.
 */
record SourceEntry(Path local, String remotePath, boolean directory, long size, long mtimeSeconds, int mtimeNanos, int mode) {
}
