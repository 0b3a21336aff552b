package dev.ferry.disk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What {@link Beneath#stat} found at a path (the entry itself: a symlink is not followed).
 *
 * @param kind         file, directory, symlink or anything else
 * @param mode         the permission bits (07777)
 * @param size         bytes (a symlink: the length of its target)
 * @param mtimeSeconds modification time, seconds since the epoch
 * @param mtimeNanos   and its nanoseconds
 * @param inode        the inode number (with the device, what makes two names the same file)
 * @param device       the device number (major, minor in one long)
 * @param ctimeSeconds the inode's change time, seconds since the epoch: set by the kernel on every change of
 *                     content or metadata, and by no call a user can make (unlike mtime), so that a file changed
 *                     behind ferry's back is told from the one it recorded even when size and mtime were restored
 * @param ctimeNanos   and its nanoseconds
 */
public record Stat(Kind kind, int mode, long size, long mtimeSeconds, int mtimeNanos, long inode, long device,
                   long ctimeSeconds, int ctimeNanos) {
    /** The kinds of entry the receiver tells apart. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    /** What a {@code struct statx} filled by statx(2) holds (its layout is the same on every architecture). */
    static Stat ofStatx(MemorySegment b) {
        int stMode = Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 28));
        long device = ((long) b.get(ValueLayout.JAVA_INT, 136) << 32) | Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, 140));
        return new Stat(kindOf(stMode), stMode & 07777, b.get(ValueLayout.JAVA_LONG, 40),
                b.get(ValueLayout.JAVA_LONG, 112), b.get(ValueLayout.JAVA_INT, 120), b.get(ValueLayout.JAVA_LONG, 32), device,
                b.get(ValueLayout.JAVA_LONG, 96), b.get(ValueLayout.JAVA_INT, 104));
    }

    static Kind kindOf(int stMode) {
        return switch (stMode & 0170000) {
            case 0100000 -> Kind.FILE;
            case 0040000 -> Kind.DIRECTORY;
            case 0120000 -> Kind.SYMLINK;
            default -> Kind.OTHER;
        };
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isSymlink() {
        return kind == Kind.SYMLINK;
    }
}
