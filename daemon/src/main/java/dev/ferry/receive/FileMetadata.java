package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import java.io.IOException;

/** The mode and mtime an OFFER carries, applied to a received file or directory. Stateless; any thread. */
final class FileMetadata {
    private FileMetadata() {
    }

    /**
     * The offered mode's rwx bits and mtime, on {@code rel} beneath the folder's root, where they differ (so that a
     * file or directory already in sync is no failure on a read-only target). A symlink there is refused, not
     * followed.
     */
    static void apply(Beneath folder, String rel, int mode, long mtimeSeconds, int mtimeNanos) throws IOException {
        folder.setModeAndMtime(rel, permissions(mode), mtimeSeconds, mtimeNanos);
    }

    /**
     * The rwx bits of {@code mode}. setuid, setgid and sticky are dropped on purpose: a peer must not be able to
     * plant a setuid file on the receiver.
     */
    static int permissions(int mode) {
        return mode & 0777;
    }
}
