package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_CREAT;
import static dev.ferry.disk.Syscalls.O_DIRECTORY;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_NONBLOCK;
import static dev.ferry.disk.Syscalls.O_PATH;
import static dev.ferry.disk.Syscalls.O_RDONLY;
import static dev.ferry.disk.Syscalls.O_RDWR;
import static dev.ferry.disk.Syscalls.O_TRUNC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A folder root held open as an {@code O_PATH|O_DIRECTORY} descriptor, and every file operation the receiver makes
 * for a peer's path, resolved beneath it by the kernel in the same system call that uses it: nothing is checked
 * first and used later, so a directory swapped for a symlink between two calls cannot redirect anything outside
 * the root. Paths are relative, '/'-separated, without "." or ".." segments (callers check names; the kernel
 * checks the resolution).
 *
 * <p>How a path is resolved ({@link Resolution}): with {@code openat2(2)} and RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS (Linux 5.6 and later): one call, and any symlink on the way, or any step out of the root,
 * fails it (ELOOP, EXDEV). Where openat2 is missing (ENOSYS), one {@code openat(O_NOFOLLOW)} per segment from the
 * root's descriptor: more calls, just as race-free, as each step starts from a descriptor already held and refuses
 * a symlink. Operations on a name (rename, unlink, link, symlink, mkdir, utime of a link) take the parent opened
 * this way plus the last segment, whose own symlink is never followed by those calls. Mode and mtime of a file or
 * directory are set through a descriptor of it opened with O_NOFOLLOW.
 *
 * <p>Thread-safe: the root descriptor is only read; {@link #close} when no call is running.
 */
public final class Beneath implements AutoCloseable {
    /** How paths are resolved beneath the root. */
    public enum Resolution {
        /** One openat2 call per path (Linux 5.6 and later). */
        OPENAT2,
        /** One openat(O_NOFOLLOW) per segment: the fallback where openat2 is missing. */
        SEGMENTS
    }

    /** How {@link #openFile} opens a file. */
    public enum Access {
        /** Read only; the file must exist. */
        READ,
        /** Read and write; the file must exist. */
        WRITE,
        /** Read and write; created (mode 0600) if missing, emptied if present. */
        CREATE_EMPTY
    }

    private static final long RESOLVE = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS
            | Syscalls.RESOLVE_NO_MAGICLINKS;
    private static volatile Boolean openat2Works;

    private final Path root;
    private final int rootFd;
    private final Resolution resolution;

    private Beneath(Path root, int rootFd, Resolution resolution) {
        this.root = root;
        this.rootFd = rootFd;
        this.resolution = resolution;
    }

    /**
     * The system property that, set to {@code segments}, makes {@link #open(Path)} use the fallback even where openat2
     * works (for tests of the fallback through the whole receiver, and for comparing the two).
     */
    public static final String RESOLUTION_PROPERTY = "ferry.beneath.resolution";

    /**
     * Opens {@code root} (an absolute path, trusted: it comes from the receiver's config) with openat2 if the kernel
     * has it (and {@value #RESOLUTION_PROPERTY} does not say {@code segments}).
     */
    public static Beneath open(Path root) throws IOException {
        boolean segments = "segments".equals(System.getProperty(RESOLUTION_PROPERTY)) || !openat2Available();
        return open(root, segments ? Resolution.SEGMENTS : Resolution.OPENAT2);
    }

    /** Opens {@code root}, resolving paths beneath it as {@code resolution} says (tests force the fallback). */
    public static Beneath open(Path root, Resolution resolution) throws IOException {
        try {
            int fd = Syscalls.openat(-100 /* AT_FDCWD */, bytes(root.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            return new Beneath(root, fd, resolution);
        } catch (Syscalls.Failure f) {
            throw f.exception("open", root.toString());
        }
    }

    /** Whether this kernel has openat2 (asked once: ENOSYS on kernels before 5.6, or under a seccomp filter). */
    public static boolean openat2Available() {
        Boolean works = openat2Works;
        if (works == null) {
            try {
                Syscalls.close(Syscalls.openat2(-100, bytes("/"), O_PATH | O_CLOEXEC, 0, 0));
                works = true;
            } catch (Syscalls.Failure f) {
                works = f.errno != Syscalls.ENOSYS && f.errno != Syscalls.EPERM;
            }
            openat2Works = works;
        }
        return works;
    }

    public Path root() {
        return root;
    }

    public Resolution resolution() {
        return resolution;
    }

    /** Opens a regular file at {@code rel}; a symlink or a directory there, or on the way, is refused. */
    public FdChannel openFile(String rel, Access access) throws IOException {
        int flags = switch (access) {
            case READ -> O_RDONLY;
            case WRITE -> O_RDWR;
            case CREATE_EMPTY -> O_RDWR | O_CREAT | O_TRUNC;
        };
        int fd = resolve(rel, flags | O_NONBLOCK, 0600);
        FdChannel channel = new FdChannel(fd, rel, access != Access.READ);
        try {
            Stat s = channel.stat();
            if (!s.isFile()) {
                throw new java.nio.file.FileSystemException(rel, null, "not a regular file");
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** What is at {@code rel} (a symlink itself, not followed); null when nothing is. {@code ""} is the root. */
    public Stat stat(String rel) throws IOException {
        if (rel.isEmpty()) {
            return statOf(rootFd, new byte[0], Syscalls.AT_EMPTY_PATH, rel);
        }
        try (Dir parent = parentOf(rel, false)) {
            return statOf(parent.fd, bytes(lastSegment(rel)), AT_SYMLINK_NOFOLLOW, rel);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Creates the directory {@code rel} and its missing parents (mode 0777 less the umask); existing ones are fine. */
    public void mkdirs(String rel) throws IOException {
        if (!rel.isEmpty()) {
            dir(rel, true).close();
        }
    }

    /** Creates the directory {@code rel} (its parent must exist); false if a directory was already there. */
    public boolean mkdir(String rel) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            Syscalls.mkdirat(parent.fd, bytes(lastSegment(rel)), 0777);
            return true;
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.EEXIST) {
                Stat s = stat(rel);
                if (s != null && s.isDirectory()) {
                    return false;
                }
            }
            throw f.exception("mkdir", rel);
        }
    }

    /**
     * Renames {@code from} to {@code to} (renameat2), both beneath the root; {@code to}'s parent must exist. With
     * {@code replace} false, an existing {@code to} fails it (RENAME_NOREPLACE) instead of being replaced.
     */
    public void rename(String from, String to, boolean replace) throws IOException {
        try (Dir a = parentOf(from, false); Dir b = parentOf(to, false)) {
            Syscalls.renameat2(a.fd, bytes(lastSegment(from)), b.fd, bytes(lastSegment(to)),
                    replace ? 0 : Syscalls.RENAME_NOREPLACE);
        } catch (Syscalls.Failure f) {
            throw f.exception("rename", from);
        }
    }

    /** A hard link {@code to} of the file {@code from} (never through a symlink: linkat without AT_SYMLINK_FOLLOW). */
    public void link(String from, String to) throws IOException {
        try (Dir a = parentOf(from, false); Dir b = parentOf(to, false)) {
            Syscalls.linkat(a.fd, bytes(lastSegment(from)), b.fd, bytes(lastSegment(to)));
        } catch (Syscalls.Failure f) {
            throw f.exception("link", to);
        }
    }

    /** A symlink at {@code rel} holding {@code target} (data, never resolved here); the parent must exist. */
    public void symlink(String target, String rel) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            Syscalls.symlinkat(bytes(target), parent.fd, bytes(lastSegment(rel)));
        } catch (Syscalls.Failure f) {
            throw f.exception("symlink", rel);
        }
    }

    /** The target of the symlink at {@code rel}. */
    public String readlink(String rel) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            return Syscalls.readlinkat(parent.fd, bytes(lastSegment(rel)));
        } catch (Syscalls.Failure f) {
            throw f.exception("readlink", rel);
        }
    }

    /** Removes the file or symlink at {@code rel}; false if nothing was there. */
    public boolean deleteFile(String rel) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            Syscalls.unlinkat(parent.fd, bytes(lastSegment(rel)), 0);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.ENOENT) {
                return false;
            }
            throw f.exception("unlink", rel);
        }
    }

    /**
     * Removes what is at {@code rel}: a file or symlink (not what it points to), or a directory with everything in
     * it, each entry removed through its parent's descriptor, no symlink followed. Nothing there is fine.
     */
    public void deleteTree(String rel) throws IOException {
        Stat s = stat(rel);
        if (s == null) {
            return;
        }
        if (!s.isDirectory()) {
            deleteFile(rel);
            return;
        }
        try (Dir parent = parentOf(rel, false)) {
            TreeWalk.deleteTree(parent.fd, bytes(lastSegment(rel)), rel);
        }
    }

    /** Every entry below the directory {@code rel} ({@code ""}: the root), depth first, parents before children. */
    public void walk(String rel, TreeWalk.Visitor visitor) throws IOException {
        try (Dir d = dir(rel, false)) {
            TreeWalk.walk(d.fd, rel, visitor);
        }
    }

    /**
     * Sets the permission bits and mtime of the file or directory at {@code rel} where they differ (a read-only
     * target already in sync is no failure). Neither follows a symlink at {@code rel}: the mode through
     * fchmodat2(AT_SYMLINK_NOFOLLOW), or where the kernel lacks it (before 6.6) through a descriptor of the entry
     * opened with O_NOFOLLOW; the mtime through utimensat(AT_SYMLINK_NOFOLLOW).
     */
    public void setModeAndMtime(String rel, int mode, long mtimeSeconds, int mtimeNanos) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            byte[] name = bytes(lastSegment(rel));
            Stat s = statOf(parent.fd, name, AT_SYMLINK_NOFOLLOW, rel);
            if (s.isSymlink()) {
                throw new NotBeneathException(rel);
            }
            if (s.mode() != (mode & 07777)) {
                chmod(parent.fd, name, mode & 07777, rel);
            }
            if (s.mtimeSeconds() != mtimeSeconds || s.mtimeNanos() != mtimeNanos) {
                try {
                    Syscalls.utimensat(parent.fd, name, mtimeSeconds, mtimeNanos, AT_SYMLINK_NOFOLLOW);
                } catch (Syscalls.Failure f) {
                    throw f.exception("utimensat", rel);
                }
            }
        }
    }

    private static volatile boolean noFchmodat2;

    private static void chmod(int dirfd, byte[] name, int mode, String rel) throws IOException {
        if (!noFchmodat2) {
            try {
                Syscalls.fchmodat2(dirfd, name, mode, AT_SYMLINK_NOFOLLOW);
                return;
            } catch (Syscalls.Failure f) {
                if (f.errno == Syscalls.EOPNOTSUPP) { // a symlink (swapped in since the stat)
                    throw new NotBeneathException(rel);
                }
                if (f.errno != Syscalls.ENOSYS && f.errno != Syscalls.EPERM) {
                    throw f.exception("fchmodat2", rel);
                }
                noFchmodat2 = f.errno == Syscalls.ENOSYS; // (EPERM: a filter, or not ours: the fallback says which)
            }
        }
        int fd;
        try {
            fd = Syscalls.openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw refusal(f, dirfd, name, rel, "openat");
        }
        try (FdChannel ch = new FdChannel(fd, rel, false)) {
            ch.setMode(mode);
        }
    }

    /** Sets the mtime of the entry at {@code rel} itself, a symlink included (utimensat with AT_SYMLINK_NOFOLLOW). */
    public void setMtimeNoFollow(String rel, long mtimeSeconds, int mtimeNanos) throws IOException {
        try (Dir parent = parentOf(rel, false)) {
            Syscalls.utimensat(parent.fd, bytes(lastSegment(rel)), mtimeSeconds, mtimeNanos, AT_SYMLINK_NOFOLLOW);
        } catch (Syscalls.Failure f) {
            throw f.exception("utimensat", rel);
        }
    }

    /** fsync of the directory {@code rel} ({@code ""}: the root), so that entries changed in it survive a crash. */
    public void fsyncDir(String rel) throws IOException {
        int fd = rel.isEmpty() ? openRootForRead() : resolve(rel, O_RDONLY | O_DIRECTORY, 0);
        try {
            Syscalls.fsync(fd);
        } catch (Syscalls.Failure f) {
            throw f.exception("fsync", rel);
        } finally {
            Syscalls.close(fd);
        }
    }

    @Override
    public void close() {
        Syscalls.close(rootFd);
    }

    private int openRootForRead() throws IOException {
        try {
            return Syscalls.openat(rootFd, bytes("."), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw f.exception("open", ".");
        }
    }

    /** The parent directory of {@code rel}, optionally created. */
    private Dir parentOf(String rel, boolean create) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash < 0) {
            return new Dir(rootFd, false);
        }
        try {
            return dir(rel.substring(0, slash), create);
        } catch (NotBeneathException e) {
            throw new NotBeneathException(rel); // (named by the path asked for, not its parent)
        }
    }

    /** The directory {@code rel} as an O_PATH descriptor ({@code ""}: the root, not to be closed). */
    private Dir dir(String rel, boolean create) throws IOException {
        if (rel.isEmpty()) {
            return new Dir(rootFd, false);
        }
        try {
            return new Dir(resolve(rel, O_PATH | O_DIRECTORY, 0), true);
        } catch (NoSuchFileException e) {
            if (!create) {
                throw e;
            }
        }
        // a new tree: create each missing level, stepping from the descriptor of the level above (never by path)
        int current = rootFd;
        String[] parts = segments(rel);
        try {
            for (String part : parts) {
                byte[] name = bytes(part);
                try {
                    Syscalls.mkdirat(current, name, 0777);
                } catch (Syscalls.Failure f) {
                    if (f.errno != Syscalls.EEXIST) {
                        throw f.exception("mkdir", rel);
                    }
                }
                int next = step(current, name, rel);
                if (current != rootFd) {
                    Syscalls.close(current);
                }
                current = next;
            }
            return new Dir(current, true);
        } catch (IOException | RuntimeException e) {
            if (current != rootFd) {
                Syscalls.close(current);
            }
            throw e;
        }
    }

    /** One openat2 beneath the root, or one openat per segment; the last segment opened with {@code flags}. */
    private int resolve(String rel, int flags, int mode) throws IOException {
        String[] parts = segments(rel);
        if (resolution == Resolution.OPENAT2) {
            try {
                // (openat2 refuses a mode without O_CREAT, where openat ignores it)
                return Syscalls.openat2(rootFd, bytes(rel), flags | O_CLOEXEC, (flags & O_CREAT) != 0 ? mode : 0, RESOLVE);
            } catch (Syscalls.Failure f) {
                throw f.exception("openat2", rel);
            }
        }
        int current = rootFd;
        try {
            for (int i = 0; i < parts.length - 1; i++) {
                int next = step(current, bytes(parts[i]), rel);
                if (current != rootFd) {
                    Syscalls.close(current);
                }
                current = next;
            }
            byte[] last = bytes(parts[parts.length - 1]);
            try {
                return Syscalls.openat(current, last, flags | O_NOFOLLOW | O_CLOEXEC, mode);
            } catch (Syscalls.Failure f) {
                throw refusal(f, current, last, rel, "openat");
            }
        } finally {
            if (current != rootFd) {
                Syscalls.close(current);
            }
        }
    }

    /** The directory {@code name} in {@code dirfd}, refusing a symlink (O_NOFOLLOW: the entry itself is checked). */
    private static int step(int dirfd, byte[] name, String rel) throws IOException {
        try {
            return Syscalls.openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw refusal(f, dirfd, name, rel, "openat");
        }
    }

    /** ELOOP or ENOTDIR at a segment that is a symlink: a refusal, as openat2 reports it; else the error itself. */
    private static IOException refusal(Syscalls.Failure f, int dirfd, byte[] name, String rel, String call) {
        if (f.errno == Syscalls.ENOTDIR || f.errno == Syscalls.ELOOP) {
            try {
                if (statOf(dirfd, name, AT_SYMLINK_NOFOLLOW, rel).isSymlink()) {
                    return new NotBeneathException(rel);
                }
            } catch (IOException ignored) {
                // fall through to the original error
            }
        }
        return f.exception(call, rel);
    }

    static Stat statOf(int dirfd, byte[] name, int flags, String rel) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            Syscalls.statx(dirfd, name, flags, buf, arena);
            int stMode = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, 28));
            long device = ((long) buf.get(ValueLayout.JAVA_INT, 136) << 32) | Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 140));
            return new Stat(Stat.kindOf(stMode), stMode & 07777, buf.get(ValueLayout.JAVA_LONG, 40),
                    buf.get(ValueLayout.JAVA_LONG, 112), buf.get(ValueLayout.JAVA_INT, 120),
                    buf.get(ValueLayout.JAVA_LONG, 32), device);
        } catch (Syscalls.Failure f) {
            throw f.exception("statx", rel);
        }
    }

    /** The segments of a relative path; "", ".", ".." and a leading '/' are refused here too (the fallback needs it). */
    private static String[] segments(String rel) throws IOException {
        if (rel.isEmpty() || rel.startsWith("/") || rel.indexOf('\0') >= 0) {
            throw new NotBeneathException(rel);
        }
        String[] parts = rel.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                throw new NotBeneathException(rel);
            }
        }
        return parts;
    }

    private static String lastSegment(String rel) throws IOException {
        String[] parts = segments(rel);
        return parts[parts.length - 1];
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A directory descriptor, closed after use unless it is the root's. */
    private record Dir(int fd, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                Syscalls.close(fd);
            }
        }
    }
}
