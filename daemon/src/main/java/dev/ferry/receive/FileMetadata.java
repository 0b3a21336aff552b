package dev.ferry.receive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** The mode and mtime an OFFER carries, applied to a received file or directory. Stateless; any thread. */
final class FileMetadata {
    private FileMetadata() {
    }

    /** The offered mode and mtime, on {@code path}. */
    static void apply(Path path, int mode, long mtimeSeconds, int mtimeNanos) throws IOException {
        apply(path, permissions(mode), FileTime.from(Instant.ofEpochSecond(mtimeSeconds, mtimeNanos)));
    }

    /**
     * Sets mode and mtime where they differ, so that a file or directory already in sync is no failure on a
     * read-only target (nothing needed writing).
     */
    static void apply(Path path, Set<PosixFilePermission> mode, FileTime mtime) throws IOException {
        PosixFileAttributes now = Files.readAttributes(path, PosixFileAttributes.class);
        if (!now.permissions().equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
        if (!now.lastModifiedTime().equals(mtime)) {
            Files.setLastModifiedTime(path, mtime);
        }
    }

    /**
     * The rwx bits of {@code mode}. setuid, setgid and sticky are dropped on purpose: a peer must not be able to
     * plant a setuid file on the receiver.
     */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                s.add(order[bit]);
            }
        }
        return s;
    }
}
