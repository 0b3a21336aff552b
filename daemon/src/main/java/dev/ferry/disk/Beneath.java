package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_CREAT;
import static dev.ferry.disk.Syscalls.O_DIRECTORY;
import static dev.ferry.disk.Syscalls.O_EXCL;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_NONBLOCK;
import static dev.ferry.disk.Syscalls.O_PATH;
import static dev.ferry.disk.Syscalls.O_RDONLY;
import static dev.ferry.disk.Syscalls.O_RDWR;
import static dev.ferry.disk.Syscalls.O_TRUNC;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

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
 * <p>A Beneath opened with {@link #openCachingDirectories} keeps the parent directories it resolved for {@link #stat},
 * {@link #deleteFile}, {@link #rename} and {@link #mkdirs} for a few milliseconds ({@link DirCache}): a burst of
 * calls in the same directories resolves each once. Such a directory is taken as it was when resolved: renamed
 * meanwhile by someone else, it is still used where it now is (as if the call had come just before the rename); one
 * deleted meanwhile shows no entries, and a rename or mkdirs into it is resolved again.
 *
 * <p>Thread-safe: the root descriptor is only read, the directory cache used under its monitor; {@link #close} when
 * no call is running.
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

    private static volatile Boolean openat2Works;

    private final Path root;
    private final int rootFd;
    private final Resolution resolution;
    private final Resolver paths;
    /** Where calls on a name find its parent directory (kept for a while by a session's Beneath). */
    private final ParentDirs parents;

    private Beneath(Path root, int rootFd, Resolution resolution, DirCache dirs) {
        this.root = root;
        this.rootFd = rootFd;
        this.resolution = resolution;
        this.paths = new Resolver(rootFd, resolution);
        this.parents = new ParentDirs(rootFd, paths, dirs);
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
        return open(root, resolution, null);
    }

    /**
     * As {@link #open(Path)}, keeping the directories it resolves for a few milliseconds (see the class comment): for
     * one receiver session, whose commits of small files name the same few directories over and over.
     *
     * @param nanoTime the monotonic clock the directories' age is read from
     */
    public static Beneath openCachingDirectories(Path root, LongSupplier nanoTime) throws IOException {
        boolean segments = "segments".equals(System.getProperty(RESOLUTION_PROPERTY)) || !openat2Available();
        return open(root, segments ? Resolution.SEGMENTS : Resolution.OPENAT2, new DirCache(nanoTime));
    }

    private static Beneath open(Path root, Resolution resolution, DirCache dirs) throws IOException {
        try {
            int fd = Syscalls.openat(-100 /* AT_FDCWD */, Resolver.bytes(root.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
            return new Beneath(root, fd, resolution, dirs);
        } catch (Syscalls.Failure f) {
            throw f.exception("open", root.toString());
        }
    }

    /** Whether this kernel has openat2 (asked once: ENOSYS on kernels before 5.6, or under a seccomp filter). */
    public static boolean openat2Available() {
        Boolean works = openat2Works;
        if (works == null) {
            try {
                Syscalls.close(Syscalls.openat2(-100, Resolver.bytes("/"), O_PATH | O_CLOEXEC, 0, 0));
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
        if (access == Access.CREATE_EMPTY) {
            try { // a new file is a regular file: nothing to check (one statx less per small file received)
                return new FdChannel(paths.resolve(rel, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600), rel, true);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // something is there: emptied below if it is a regular file
            }
        }
        int flags = switch (access) {
            case READ -> O_RDONLY;
            case WRITE -> O_RDWR;
            case CREATE_EMPTY -> O_RDWR | O_CREAT | O_TRUNC;
        };
        int fd = paths.resolve(rel, flags | O_NONBLOCK, 0600);
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
            return Resolver.statOf(rootFd, new byte[0], Syscalls.AT_EMPTY_PATH, rel);
        }
        try {
            return parents.at(rel, (dirfd, name) -> Resolver.statOrNull(dirfd, name, AT_SYMLINK_NOFOLLOW, rel));
        } catch (NoSuchFileException e) {
            return null;
        } catch (Syscalls.Failure f) {
            throw f.exception("statx", rel); // (statOrNull reports its own; this is for the compiler)
        }
    }

    /** Every directory kept is resolved again on its next use (a receiver session says so after each commit group). */
    public void forgetDirectories() {
        parents.clear();
    }

    /** Creates the directory {@code rel} and its missing parents (mode 0777 less the umask); existing ones are fine. */
    public void mkdirs(String rel) throws IOException {
        if (!rel.isEmpty()) {
            parents.mkdirs(rel);
        }
    }

    /** Creates the directory {@code rel} (its parent must exist); false if a directory was already there. */
    public boolean mkdir(String rel) throws IOException {
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            Syscalls.mkdirat(parent.fd(), Resolver.lastName(rel), 0777);
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
        try {
            parents.rename(from, to, replace ? 0 : Syscalls.RENAME_NOREPLACE);
        } catch (Syscalls.Failure f) {
            throw f.exception("rename", from);
        }
    }

    /** A hard link {@code to} of the file {@code from} (never through a symlink: linkat without AT_SYMLINK_FOLLOW). */
    public void link(String from, String to) throws IOException {
        try (Resolver.Dir a = paths.parentOf(from, false); Resolver.Dir b = paths.parentOf(to, false)) {
            Syscalls.linkat(a.fd(), Resolver.lastName(from), b.fd(), Resolver.lastName(to));
        } catch (Syscalls.Failure f) {
            throw f.exception("link", to);
        }
    }

    /** A symlink at {@code rel} holding {@code target} (data, never resolved here); the parent must exist. */
    public void symlink(String target, String rel) throws IOException {
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            Syscalls.symlinkat(Resolver.bytes(target), parent.fd(), Resolver.lastName(rel));
        } catch (Syscalls.Failure f) {
            throw f.exception("symlink", rel);
        }
    }

    /** The target of the symlink at {@code rel}. */
    public String readlink(String rel) throws IOException {
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            return Syscalls.readlinkat(parent.fd(), Resolver.lastName(rel));
        } catch (Syscalls.Failure f) {
            throw f.exception("readlink", rel);
        }
    }

    /** Removes the file or symlink at {@code rel}; false if nothing was there. */
    public boolean deleteFile(String rel) throws IOException {
        try {
            return parents.at(rel, (dirfd, name) -> {
                Syscalls.unlinkat(dirfd, name, 0);
                return true;
            });
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
        parents.forgetBelow(rel, rel);
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            TreeWalk.deleteTree(parent.fd(), Resolver.lastName(rel), rel);
        }
    }

    /** Every entry below the directory {@code rel} ({@code ""}: the root), depth first, parents before children. */
    public void walk(String rel, TreeWalk.Visitor visitor) throws IOException {
        try (Resolver.Dir d = paths.dir(rel, false)) {
            TreeWalk.walk(d.fd(), rel, visitor);
        }
    }

    /**
     * Sets the permission bits and mtime of the file or directory at {@code rel} where they differ (a read-only
     * target already in sync is no failure). Neither follows a symlink at {@code rel}: the mode through
     * fchmodat2(AT_SYMLINK_NOFOLLOW), or where the kernel lacks it (before 6.6) through a descriptor of the entry
     * opened with O_NOFOLLOW; the mtime through utimensat(AT_SYMLINK_NOFOLLOW).
     */
    public void setModeAndMtime(String rel, int mode, long mtimeSeconds, int mtimeNanos) throws IOException {
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            byte[] name = Resolver.lastName(rel);
            Stat s = Resolver.statOf(parent.fd(), name, AT_SYMLINK_NOFOLLOW, rel);
            if (s.isSymlink()) {
                throw new NotBeneathException(rel);
            }
            if (s.mode() != (mode & 07777)) {
                NoFollowChmod.chmod(parent.fd(), name, mode & 07777, rel);
            }
            if (s.mtimeSeconds() != mtimeSeconds || s.mtimeNanos() != mtimeNanos) {
                try {
                    Syscalls.utimensat(parent.fd(), name, mtimeSeconds, mtimeNanos, AT_SYMLINK_NOFOLLOW);
                } catch (Syscalls.Failure f) {
                    throw f.exception("utimensat", rel);
                }
            }
        }
    }

    /** Sets the mtime of the entry at {@code rel} itself, a symlink included (utimensat with AT_SYMLINK_NOFOLLOW). */
    public void setMtimeNoFollow(String rel, long mtimeSeconds, int mtimeNanos) throws IOException {
        try (Resolver.Dir parent = paths.parentOf(rel, false)) {
            Syscalls.utimensat(parent.fd(), Resolver.lastName(rel), mtimeSeconds, mtimeNanos, AT_SYMLINK_NOFOLLOW);
        } catch (Syscalls.Failure f) {
            throw f.exception("utimensat", rel);
        }
    }

    /**
     * syncfs of the file system the root is on: every file and directory change made on it so far (by anyone) is on
     * disk when this returns. One call for a batch of files, where an fsync each would cost a disk flush each.
     */
    public void syncFileSystem() throws IOException {
        int fd = openRootForRead(); // (the root's own descriptor is O_PATH: syncfs refuses it)
        try {
            OffCarrier.run(() -> Syscalls.syncfs(fd));
        } catch (Syscalls.Failure f) {
            throw f.exception("syncfs", root.toString());
        } finally {
            Syscalls.close(fd);
        }
    }

    /** fsync of the directory {@code rel} ({@code ""}: the root), so that entries changed in it survive a crash. */
    public void fsyncDir(String rel) throws IOException {
        int fd = rel.isEmpty() ? openRootForRead() : paths.resolve(rel, O_RDONLY | O_DIRECTORY, 0);
        try {
            OffCarrier.run(() -> Syscalls.fsync(fd));
        } catch (Syscalls.Failure f) {
            throw f.exception("fsync", rel);
        } finally {
            Syscalls.close(fd);
        }
    }

    @Override
    public void close() {
        forgetDirectories();
        Syscalls.close(rootFd);
    }

    private int openRootForRead() throws IOException {
        try {
            return Syscalls.openat(rootFd, Resolver.bytes("."), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw f.exception("open", ".");
        }
    }
}
