package dev.ferry.disk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;

/**
 * The Linux system calls {@link Beneath} and {@link FdChannel} make, through the FFM API ({@link LibC} holds the
 * downcall handles) (the JDK offers no
 * {@code openat}, no {@code renameat2} and no way to use a raw file descriptor). Each wrapper returns the call's
 * result or throws the {@link IOException} its errno means, naming the path relative to the folder root; EINTR is
 * retried. x86_64 and aarch64 Linux (the {@code syscall} numbers used, openat2's 437 and fchmodat2's 452, are the same on both).
 * Stateless; any thread.
 */
final class Syscalls {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = 0200000;
    static final int O_NOFOLLOW = 0400000;
    static final int O_CLOEXEC = 02000000;
    static final int O_PATH = 010000000;

    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_BENEATH = 0x08;

    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int RENAME_NOREPLACE = 1;

    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int EPERM = 1;
    static final int EEXIST = 17;
    static final int EISDIR = 21;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int ENOTEMPTY = 39;
    static final int ELOOP = 40;
    static final int EOPNOTSUPP = 95;

    private static final long SYS_OPENAT2 = 437;
    private static final long SYS_FCHMODAT2 = 452;
    /** struct open_how { u64 flags; u64 mode; u64 resolve; }, native byte order. */
    private static final long OPEN_HOW_BYTES = 24;

    private Syscalls() {
    }

    /** A failed call: the errno and the exception it stands for. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Failure(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }

        /** As the JDK would throw it, {@code file} being the path relative to the root. */
        IOException exception(String call, String file) {
            String reason = strerror(errno);
            return switch (errno) {
                case ENOENT -> new NoSuchFileException(file, null, reason);
                case EEXIST -> new FileAlreadyExistsException(file, null, reason);
                case EACCES, EPERM -> new AccessDeniedException(file, null, reason);
                case ENOTEMPTY -> new DirectoryNotEmptyException(file);
                case ENOTDIR -> new NotDirectoryException(file);
                case ELOOP, EXDEV -> new NotBeneathException(file);
                default -> new FileSystemException(file, null, reason); // (as the JDK words it: the reason alone)
            };
        }
    }

    /** One call: made with a fresh arena and errno capture, again on EINTR; a negative result is a failure. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment state, Arena arena) throws Throwable;
    }

    private static long call(Call c) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibC.CAPTURE);
            while (true) {
                long r = c.invoke(state, arena);
                if (r >= 0) {
                    return r;
                }
                int errno = (int) LibC.ERRNO.get(state, 0L);
                if (errno != EINTR) {
                    throw new Failure(errno);
                }
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** openat2(dirfd, path, {flags, mode, resolve}); ENOSYS where the kernel is older than 5.6. */
    static int openat2(int dirfd, byte[] path, int flags, int mode, long resolve) throws Failure {
        return (int) call((state, arena) -> {
            MemorySegment how = arena.allocate(OPEN_HOW_BYTES, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            return (long) LibC.SYSCALL_OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirfd, cstring(arena, path), how,
                    OPEN_HOW_BYTES);
        });
    }

    static int openat(int dirfd, byte[] path, int flags, int mode) throws Failure {
        return (int) call((state, arena) -> (int) LibC.OPENAT.invokeExact(state, dirfd, cstring(arena, path), flags, mode));
    }

    static void mkdirat(int dirfd, byte[] name, int mode) throws Failure {
        call((state, arena) -> (int) LibC.MKDIRAT.invokeExact(state, dirfd, cstring(arena, name), mode));
    }

    static void unlinkat(int dirfd, byte[] name, int flags) throws Failure {
        call((state, arena) -> (int) LibC.UNLINKAT.invokeExact(state, dirfd, cstring(arena, name), flags));
    }

    static void renameat2(int fromDir, byte[] from, int toDir, byte[] to, int flags) throws Failure {
        call((state, arena) -> (int) LibC.RENAMEAT2.invokeExact(state, fromDir, cstring(arena, from), toDir,
                cstring(arena, to), flags));
    }

    /** linkat without AT_SYMLINK_FOLLOW: a symlink at {@code from} is linked itself, never followed. */
    static void linkat(int fromDir, byte[] from, int toDir, byte[] to) throws Failure {
        call((state, arena) -> (int) LibC.LINKAT.invokeExact(state, fromDir, cstring(arena, from), toDir, cstring(arena, to), 0));
    }

    static void symlinkat(byte[] target, int dirfd, byte[] name) throws Failure {
        call((state, arena) -> (int) LibC.SYMLINKAT.invokeExact(state, cstring(arena, target), dirfd, cstring(arena, name)));
    }

    /** The target of the symlink {@code name} in {@code dirfd}. */
    static String readlinkat(int dirfd, byte[] name) throws Failure {
        byte[][] target = new byte[1][];
        call((state, arena) -> {
            MemorySegment buf = arena.allocate(4097);
            long len = (long) LibC.READLINKAT.invokeExact(state, dirfd, cstring(arena, name), buf, 4096L);
            if (len >= 0) {
                target[0] = buf.asSlice(0, len).toArray(JAVA_BYTE);
            }
            return len;
        });
        return new String(target[0], StandardCharsets.UTF_8);
    }

    /**
     * statx(dirfd, name, flags) into {@code buf} (256 bytes; the struct's layout is the same on every architecture):
     * type, mode, mtime, ctime, size and inode asked for.
     */
    static void statx(int dirfd, byte[] name, int flags, MemorySegment buf, Arena bufArena) throws Failure {
        MemorySegment n = cstring(bufArena, name);
        call((state, arena) -> (int) LibC.STATX.invokeExact(state, dirfd, n, flags, 0x1 | 0x2 | 0x40 | 0x80 | 0x100 | 0x200,
                buf));
    }

    /** utimensat(dirfd, name, {atime untouched, mtime}, flags). */
    static void utimensat(int dirfd, byte[] name, long seconds, int nanos, int flags) throws Failure {
        call((state, arena) -> (int) LibC.UTIMENSAT.invokeExact(state, dirfd, cstring(arena, name),
                timespecs(arena, seconds, nanos), flags));
    }

    /** futimens(fd, {atime untouched, mtime}). */
    static void futimens(int fd, long seconds, int nanos) throws Failure {
        call((state, arena) -> (int) LibC.FUTIMENS.invokeExact(state, fd, timespecs(arena, seconds, nanos)));
    }

    private static MemorySegment timespecs(Arena arena, long seconds, int nanos) {
        MemorySegment times = arena.allocate(32, 8);
        times.set(JAVA_LONG, 0, 0);
        times.set(JAVA_LONG, 8, (1L << 30) - 2); // UTIME_OMIT: the access time stays
        times.set(JAVA_LONG, 16, seconds);
        times.set(JAVA_LONG, 24, nanos);
        return times;
    }

    /** fchmodat2(dirfd, name, mode, flags) (Linux 6.6; ENOSYS before): the one chmod that can refuse a symlink. */
    static void fchmodat2(int dirfd, byte[] name, int mode, int flags) throws Failure {
        call((state, arena) -> (long) LibC.SYSCALL_FCHMODAT2.invokeExact(state, SYS_FCHMODAT2, (long) dirfd,
                cstring(arena, name), (long) mode, (long) flags));
    }

    static void fchmod(int fd, int mode) throws Failure {
        call((state, arena) -> (int) LibC.FCHMOD.invokeExact(state, fd, mode));
    }

    static void fsync(int fd) throws Failure {
        call((state, arena) -> (int) LibC.FSYNC.invokeExact(state, fd));
    }

    /** syncfs(fd): every dirty file and directory of the file system {@code fd} is on, written and waited for. */
    static void syncfs(int fd) throws Failure {
        call((state, arena) -> (int) LibC.SYNCFS.invokeExact(state, fd));
    }

    static void fdatasync(int fd) throws Failure {
        call((state, arena) -> (int) LibC.FDATASYNC.invokeExact(state, fd));
    }

    static void ftruncate(int fd, long size) throws Failure {
        call((state, arena) -> (int) LibC.FTRUNCATE.invokeExact(state, fd, size));
    }

    /** pwrite or pread of {@code length} bytes at {@code address}; returns the count moved (0 at end of file). */
    static long pio(boolean write, int fd, MemorySegment address, long length, long position) throws Failure {
        return write ? call((state, arena) -> (long) LibC.PWRITE.invokeExact(state, fd, address, length, position))
                : call((state, arena) -> (long) LibC.PREAD.invokeExact(state, fd, address, length, position));
    }

    /** copy_file_range with explicit offsets; returns the count copied. */
    static long copyFileRange(int in, long inPos, int out, long outPos, long length) throws Failure {
        return call((state, arena) -> {
            MemorySegment a = arena.allocateFrom(JAVA_LONG, inPos);
            MemorySegment b = arena.allocateFrom(JAVA_LONG, outPos);
            return (long) LibC.COPY_FILE_RANGE.invokeExact(state, in, a, out, b, length, 0);
        });
    }

    /** getdents64 into {@code buf}; returns the bytes filled, 0 at the end of the directory. */
    static long getdents64(int fd, MemorySegment buf) throws Failure {
        return call((state, arena) -> (long) LibC.GETDENTS64.invokeExact(state, fd, buf, buf.byteSize()));
    }

    /**
     * Adds the names of the {@code filled} bytes of directory entries getdents64 put in {@code buf} to {@code into},
     * "." and ".." left out, as raw bytes (a name need not be UTF-8).
     */
    static void direntNames(MemorySegment buf, long filled, List<byte[]> into) {
        // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
        for (long at = 0; at < filled; ) {
            int reclen = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, at + 16));
            long nameStart = at + 19;
            long end = nameStart;
            while (end < at + reclen && buf.get(ValueLayout.JAVA_BYTE, end) != 0) {
                end++;
            }
            byte[] name = buf.asSlice(nameStart, end - nameStart).toArray(ValueLayout.JAVA_BYTE);
            if (!(name.length == 1 && name[0] == '.') && !(name.length == 2 && name[0] == '.' && name[1] == '.')) {
                into.add(name);
            }
            at += reclen;
        }
    }

    /** {@code bytes} and a NUL, in native memory. */
    private static MemorySegment cstring(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        s.set(JAVA_BYTE, bytes.length, (byte) 0);
        return s;
    }

    static void close(int fd) {
        try {
            int ignored = (int) LibC.CLOSE.invokeExact(fd); // (EINTR on close: the fd is gone all the same)
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) LibC.STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
