package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_NONBLOCK;
import static dev.ferry.disk.Syscalls.O_RDONLY;

import java.io.IOException;

/**
 * A mode set on a name without following a symlink there: fchmodat2(AT_SYMLINK_NOFOLLOW) (Linux 6.6), or where the
 * kernel lacks it a descriptor of the entry opened with O_NOFOLLOW and fchmod. Stateless but for what the kernel
 * was found to lack; any thread.
 */
final class NoFollowChmod {
    private NoFollowChmod() {
    }

    /** fchmodat2 is missing here (ENOSYS): the fallback from then on. */
    private static volatile boolean noFchmodat2;

    /** Sets the permission bits {@code mode} of {@code name} in {@code dirfd}; a symlink there is refused. */
    static void chmod(int dirfd, byte[] name, int mode, String rel) throws IOException {
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
            throw Resolver.refusal(f, dirfd, name, rel, "openat");
        }
        try (FdChannel ch = new FdChannel(fd, rel, false)) {
            ch.setMode(mode);
        }
    }
}
