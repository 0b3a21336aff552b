package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_CREAT;
import static dev.ferry.disk.Syscalls.O_DIRECTORY;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_PATH;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

/**
 * How {@link Beneath} turns a relative path into a descriptor beneath its root: one openat2 with RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, or (the fallback) one openat(O_NOFOLLOW) per segment from the
 * root's descriptor; a symlink met on the way is a {@link NotBeneathException}. Immutable; any thread.
 */
final class Resolver {
    private static final long RESOLVE = Syscalls.RESOLVE_BENEATH | Syscalls.RESOLVE_NO_SYMLINKS
            | Syscalls.RESOLVE_NO_MAGICLINKS;

    private final int rootFd;
    private final Beneath.Resolution resolution;

    Resolver(int rootFd, Beneath.Resolution resolution) {
        this.rootFd = rootFd;
        this.resolution = resolution;
    }

    /** The parent directory of {@code rel}, optionally created. */
    Dir parentOf(String rel, boolean create) throws IOException {
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
    Dir dir(String rel, boolean create) throws IOException {
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
    int resolve(String rel, int flags, int mode) throws IOException {
        String[] parts = segments(rel);
        if (resolution == Beneath.Resolution.OPENAT2) {
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
    static int step(int dirfd, byte[] name, String rel) throws IOException {
        try {
            return Syscalls.openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw refusal(f, dirfd, name, rel, "openat");
        }
    }

    /** ELOOP or ENOTDIR at a segment that is a symlink: a refusal, as openat2 reports it; else the error itself. */
    static IOException refusal(Syscalls.Failure f, int dirfd, byte[] name, String rel, String call) {
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
        Stat s = statOrNull(dirfd, name, flags, rel);
        if (s == null) {
            throw new NoSuchFileException(rel, null, Syscalls.strerror(Syscalls.ENOENT)); // (as Failure.exception says it)
        }
        return s;
    }

    /** As {@link #statOf}, null when nothing is there (no exception made: the receiver looks for new names a lot). */
    static Stat statOrNull(int dirfd, byte[] name, int flags, String rel) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            Syscalls.statx(dirfd, name, flags, buf, arena);
            return Stat.ofStatx(buf);
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.ENOENT) {
                return null;
            }
            throw f.exception("statx", rel);
        }
    }

    /** The segments of a relative path; "", ".", ".." and a leading '/' are refused here too (the fallback needs it). */
    static String[] segments(String rel) throws IOException {
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

    static String lastSegment(String rel) throws IOException {
        String[] parts = segments(rel);
        return parts[parts.length - 1];
    }

    /** The last segment of {@code rel}, as the bytes a system call takes. */
    static byte[] lastName(String rel) throws IOException {
        return bytes(lastSegment(rel));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A directory descriptor, closed after use unless it is the root's. */
    record Dir(int fd, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                Syscalls.close(fd);
            }
        }
    }
}
