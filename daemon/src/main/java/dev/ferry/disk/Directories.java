package dev.ferry.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Making a directory's entries durable: after a create, rename or delete in it, before the change is relied on. */
public final class Directories {
    private Directories() {
    }

    /**
     * fsync of the directory itself, so that an entry created, renamed or removed in it survives a crash. A no-op on
     * an in-memory file system (tests), which has no directory to sync and refuses to open one.
     */
    public static void fsync(Path dir) throws IOException {
        if (dir.getFileSystem() != FileSystems.getDefault()) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
