package dev.ferry.index;

import dev.ferry.hash.FileDigest;
import dev.ferry.path.RelativePath;
import dev.ferry.wire.EntryKind;

/**
 * One path of the source as last seen, not following symlinks.
 *
 * @param path         '/'-separated, relative to the source root, never "" (see {@link RelativePath})
 * @param size         bytes for a file, the target's length for a symlink, 0 for a directory (its st_size says
 *                     nothing useful and would make every directory look changed)
 * @param mode         permission bits only ({@code st_mode & 07777})
 * @param inode        {@code st_ino}; 0 when the file system has none
 * @param linkTarget   symlinks only, as {@code readlink} returns it; null for the other kinds
 * @param digest       files only; null when not hashed (yet, or because the file kept changing while read).
 *                     Describes exactly {@code size} bytes.
 */
public record IndexEntry(String path, EntryKind kind, long size, long mtimeSeconds, int mtimeNanos, int mode, long inode,
                         String linkTarget, FileDigest digest) {
    public IndexEntry {
        RelativePath.check("path", path, false);
        if (kind == null) {
            throw new IllegalArgumentException("kind is null for " + path);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size=" + size + " < 0 for " + path);
        }
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999) {
            throw new IllegalArgumentException("mtimeNanos=" + mtimeNanos + " outside 0..999999999 for " + path);
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode=0" + Integer.toOctalString(mode) + " has bits outside 07777 for " + path);
        }
        if ((linkTarget != null) != (kind == EntryKind.SYMLINK)) {
            throw new IllegalArgumentException("linkTarget=" + linkTarget + " for a " + kind + " " + path
                    + " (symlinks need one, nothing else has one)");
        }
        if (digest != null && kind != EntryKind.FILE) {
            throw new IllegalArgumentException("a " + kind + " has no digest: " + path);
        }
        if (digest != null && digest.size() != size) {
            throw new IllegalArgumentException("digest of " + digest.size() + " bytes for " + path + " of size=" + size);
        }
    }

    public static IndexEntry file(String path, long size, long mtimeSeconds, int mtimeNanos, int mode, long inode,
                                  FileDigest digest) {
        return new IndexEntry(path, EntryKind.FILE, size, mtimeSeconds, mtimeNanos, mode, inode, null, digest);
    }

    public static IndexEntry directory(String path, long mtimeSeconds, int mtimeNanos, int mode, long inode) {
        return new IndexEntry(path, EntryKind.DIRECTORY, 0, mtimeSeconds, mtimeNanos, mode, inode, null, null);
    }

    public static IndexEntry symlink(String path, String linkTarget, long size, long mtimeSeconds, int mtimeNanos,
                                     int mode, long inode) {
        return new IndexEntry(path, EntryKind.SYMLINK, size, mtimeSeconds, mtimeNanos, mode, inode, linkTarget, null);
    }

    /**
     * True if {@code other} (a fresh stat of the same file) has the same kind, size, mtime (seconds and nanoseconds)
     * and inode: the content is taken to be unchanged and this entry's digest can be reused (if its algorithm and
     * chunk size are still the ones wanted; {@link Scanner} checks that).
     */
    public boolean sameContentAs(IndexEntry other) {
        return other != null && kind == other.kind && size == other.size && mtimeSeconds == other.mtimeSeconds
                && mtimeNanos == other.mtimeNanos && inode == other.inode;
    }

    /** This entry under another path (a rename keeps everything else). */
    public IndexEntry withPath(String newPath) {
        return new IndexEntry(newPath, kind, size, mtimeSeconds, mtimeNanos, mode, inode, linkTarget, digest);
    }

    public IndexEntry withDigest(FileDigest newDigest) {
        return new IndexEntry(path, kind, size, mtimeSeconds, mtimeNanos, mode, inode, linkTarget, newDigest);
    }
}
