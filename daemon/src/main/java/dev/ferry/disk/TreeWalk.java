package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_REMOVEDIR;
import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_DIRECTORY;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walking and removing directory trees by descriptor: each directory is read with getdents64 from a descriptor
 * opened with O_NOFOLLOW relative to its parent's, and each entry is examined or removed through that descriptor,
 * so a directory swapped for a symlink mid-walk fails the walk at that step instead of leading it elsewhere.
 * Stateless; any thread.
 */
public final class TreeWalk {
    /** 32 KiB of directory entries per getdents64 call. */
    private static final int DENTS_BYTES = 32 * 1024;

    /** Told about each entry of a walk. */
    public interface Visitor {
        /**
         * One entry below the walk's start.
         *
         * @param rel        its path relative to the root
         * @param stat       what it is (a symlink not followed)
         * @param linkTarget a symlink's target, else ""
         * @return for a directory, whether to walk into it
         */
        boolean visit(String rel, Stat stat, String linkTarget) throws IOException;
    }

    private TreeWalk() {
    }

    /** Visits everything below the directory {@code dirfd} (whose path is {@code rel}), parents before children. */
    static void walk(int dirfd, String rel, Visitor visitor) throws IOException {
        for (byte[] name : names(dirfd, rel)) {
            String childRel = join(rel, name);
            Stat s;
            try {
                s = Resolver.statOf(dirfd, name, AT_SYMLINK_NOFOLLOW, childRel);
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // gone while we listed: the peer re-checks what it needs
            }
            String target = s.isSymlink() ? readlink(dirfd, name, childRel) : "";
            if (visitor.visit(childRel, s, target) && s.isDirectory()) {
                int child;
                try {
                    child = Syscalls.openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
                } catch (Syscalls.Failure f) {
                    if (f.errno == Syscalls.ENOENT) {
                        continue;
                    }
                    throw f.exception("openat", childRel);
                }
                try {
                    walk(child, childRel, visitor);
                } finally {
                    Syscalls.close(child);
                }
            }
        }
    }

    /** Removes the directory {@code name} in {@code parentFd} with all it holds. */
    static void deleteTree(int parentFd, byte[] name, String rel) throws IOException {
        int dir;
        try {
            dir = Syscalls.openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.ENOENT) {
                return;
            }
            if (f.errno == Syscalls.ENOTDIR || f.errno == Syscalls.ELOOP) { // swapped for a file or link: remove the entry
                unlink(parentFd, name, 0, rel);
                return;
            }
            throw f.exception("openat", rel);
        }
        try {
            for (byte[] child : names(dir, rel)) {
                String childRel = join(rel, child);
                try {
                    Syscalls.unlinkat(dir, child, 0);
                } catch (Syscalls.Failure f) {
                    if (f.errno == Syscalls.EISDIR || f.errno == Syscalls.EPERM) { // (unlink of a directory)
                        deleteTree(dir, child, childRel);
                    } else if (f.errno != Syscalls.ENOENT) {
                        throw f.exception("unlink", childRel);
                    }
                }
            }
        } finally {
            Syscalls.close(dir);
        }
        unlink(parentFd, name, AT_REMOVEDIR, rel);
    }

    private static void unlink(int dirfd, byte[] name, int flags, String rel) throws IOException {
        try {
            Syscalls.unlinkat(dirfd, name, flags);
        } catch (Syscalls.Failure f) {
            if (f.errno != Syscalls.ENOENT) {
                throw f.exception("unlink", rel);
            }
        }
    }

    private static String readlink(int dirfd, byte[] name, String rel) throws IOException {
        try {
            return Syscalls.readlinkat(dirfd, name);
        } catch (Syscalls.Failure f) {
            throw f.exception("readlink", rel);
        }
    }

    /** The names in a directory, "." and ".." left out, as raw bytes (a name need not be UTF-8). */
    private static List<byte[]> names(int dirfd, String rel) throws IOException {
        List<byte[]> names = new ArrayList<>();
        int fd;
        try { // a descriptor of our own: getdents moves its offset
            fd = Syscalls.openat(dirfd, new byte[] {'.'}, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (Syscalls.Failure f) {
            throw f.exception("openat", rel);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(DENTS_BYTES, 8);
            while (true) {
                long filled = Syscalls.getdents64(fd, buf);
                if (filled == 0) {
                    return names;
                }
                Syscalls.direntNames(buf, filled, names);
            }
        } catch (Syscalls.Failure f) {
            throw f.exception("getdents64", rel);
        } finally {
            Syscalls.close(fd);
        }
    }

    private static String join(String rel, byte[] name) {
        String n = new String(name, StandardCharsets.UTF_8);
        return rel.isEmpty() ? n : rel + "/" + n;
    }
}
