package dev.ferry.disk;

import java.io.IOException;

/**
 * Where a {@link Beneath}'s calls on a name (stat, unlink, rename, mkdirs) find the name's parent directory: resolved
 * for the call and closed after it, or, for a Beneath that keeps them, taken from its {@link DirCache} (used under the
 * cache's monitor, so that no {@link #clear} from another thread closes a descriptor in use). What the Beneath moves
 * or removes itself is forgotten here at once; a rename that finds a kept directory gone resolves both again.
 */
final class ParentDirs {
    /** A system call on a name in a directory. */
    @FunctionalInterface
    interface AtParent<T> {
        T call(int dirfd, byte[] name) throws Syscalls.Failure, IOException;
    }

    private final int rootFd;
    private final Resolver paths;
    /** null: each call resolves its own. */
    private final DirCache kept;

    ParentDirs(int rootFd, Resolver paths, DirCache kept) {
        this.rootFd = rootFd;
        this.paths = paths;
        this.kept = kept;
    }

    /** Makes {@code call} on {@code rel}'s last name in its parent directory. */
    <T> T at(String rel, AtParent<T> call) throws Syscalls.Failure, IOException {
        byte[] name = Resolver.lastName(rel);
        if (kept == null) {
            try (Resolver.Dir parent = paths.parentOf(rel, false)) {
                return call.call(parent.fd(), name);
            }
        }
        synchronized (kept) {
            return call.call(keptParent(rel), name);
        }
    }

    /** Creates the directory {@code rel} (not "") and its missing parents; existing ones are fine. */
    void mkdirs(String rel) throws IOException {
        if (kept == null) {
            paths.dir(rel, true).close();
            return;
        }
        synchronized (kept) {
            if (kept.get(rel) < 0) {
                kept.put(rel, paths.dir(rel, true).fd()); // (rel is not the root: the descriptor is its own)
            }
        }
    }

    /** renameat2 of {@code from} to {@code to} with {@code flags}; what was kept at or below either is forgotten. */
    void rename(String from, String to, int flags) throws Syscalls.Failure, IOException {
        if (kept != null) {
            synchronized (kept) {
                try {
                    Syscalls.renameat2(keptParent(from), Resolver.lastName(from), keptParent(to), Resolver.lastName(to), flags);
                    forgetBelow(from, to);
                    return;
                } catch (Syscalls.Failure f) {
                    if (f.errno != Syscalls.ENOENT) {
                        throw f;
                    }
                    kept.forget(parent(from)); // a kept directory may be gone: both resolved again below
                    kept.forget(parent(to));
                }
            }
        }
        try (Resolver.Dir a = paths.parentOf(from, false); Resolver.Dir b = paths.parentOf(to, false)) {
            Syscalls.renameat2(a.fd(), Resolver.lastName(from), b.fd(), Resolver.lastName(to), flags);
        }
        forgetBelow(from, to);
    }

    /** What was kept at or below {@code a} and {@code b} (moved, replaced or removed by the Beneath) is forgotten. */
    void forgetBelow(String a, String b) {
        if (kept != null) {
            synchronized (kept) {
                kept.forget(a);
                kept.forget(b);
            }
        }
    }

    /** Every kept directory is resolved again on its next use. */
    void clear() {
        if (kept != null) {
            synchronized (kept) {
                kept.clear();
            }
        }
    }

    /** {@code rel}'s parent: the root's descriptor, a kept one, or resolved now and kept; never closed by the caller. */
    private int keptParent(String rel) throws IOException {
        String dir = parent(rel);
        if (dir.isEmpty()) {
            return rootFd;
        }
        int fd = kept.get(dir);
        if (fd < 0) {
            fd = paths.parentOf(rel, false).fd(); // (owned by the cache from here on)
            kept.put(dir, fd);
        }
        return fd;
    }

    private static String parent(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }
}
