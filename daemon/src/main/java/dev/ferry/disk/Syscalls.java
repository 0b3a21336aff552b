package dev.ferry.disk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The Linux system calls {@link Beneath} and {@link FdChannel} make, through the FFM API (the JDK offers no
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

    /** openat2(dirfd, path, {flags, mode, resolve}); ENOSYS where the kernel is older than 5.6. */
    static int openat2(int dirfd, byte[] path, int flags, int mode, long resolve) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW_BYTES, 8);
            how.set(JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            MemorySegment name = cstring(arena, path);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                long fd = (long) Native.SYSCALL4.invokeExact(state, SYS_OPENAT2, (long) dirfd, name, how, OPEN_HOW_BYTES);
                if (fd >= 0) {
                    return (int) fd;
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int openat(int dirfd, byte[] path, int flags, int mode) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = cstring(arena, path);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                int fd = (int) Native.OPENAT.invokeExact(state, dirfd, name, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mkdirat(int dirfd, byte[] name, int mode) throws Failure {
        nameCall(Native.MKDIRAT, dirfd, name, mode);
    }

    static void unlinkat(int dirfd, byte[] name, int flags) throws Failure {
        nameCall(Native.UNLINKAT, dirfd, name, flags);
    }

    static void renameat2(int fromDir, byte[] from, int toDir, byte[] to, int flags) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = cstring(arena, from);
            MemorySegment b = cstring(arena, to);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.RENAMEAT2.invokeExact(state, fromDir, a, toDir, b, flags) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void linkat(int fromDir, byte[] from, int toDir, byte[] to) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = cstring(arena, from);
            MemorySegment b = cstring(arena, to);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.LINKAT.invokeExact(state, fromDir, a, toDir, b, 0) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void symlinkat(byte[] target, int dirfd, byte[] name) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = cstring(arena, target);
            MemorySegment b = cstring(arena, name);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.SYMLINKAT.invokeExact(state, a, dirfd, b) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The target of the symlink {@code name} in {@code dirfd}. */
    static String readlinkat(int dirfd, byte[] name) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = cstring(arena, name);
            MemorySegment buf = arena.allocate(4097);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                long len = (long) Native.READLINKAT.invokeExact(state, dirfd, n, buf, 4096L);
                if (len >= 0) {
                    return new String(buf.asSlice(0, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                            java.nio.charset.StandardCharsets.UTF_8);
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * statx(dirfd, name, flags) into {@code buf} (256 bytes; the struct's layout is the same on every architecture).
     */
    static void statx(int dirfd, byte[] name, int flags, MemorySegment buf, Arena arena) throws Failure {
        try {
            MemorySegment n = cstring(arena, name);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            // mask: STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_SIZE | STATX_INO
            while ((int) Native.STATX.invokeExact(state, dirfd, n, flags, 0x1 | 0x2 | 0x40 | 0x100 | 0x200, buf) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** utimensat(dirfd, name, {atime untouched, mtime}, flags). */
    static void utimensat(int dirfd, byte[] name, long seconds, int nanos, int flags) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = cstring(arena, name);
            MemorySegment times = timespecs(arena, seconds, nanos);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.UTIMENSAT.invokeExact(state, dirfd, n, times, flags) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** futimens(fd, {atime untouched, mtime}). */
    static void futimens(int fd, long seconds, int nanos) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = timespecs(arena, seconds, nanos);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.FUTIMENS.invokeExact(state, fd, times) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = cstring(arena, name);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((long) Native.SYSCALL_CHMOD.invokeExact(state, SYS_FCHMODAT2, (long) dirfd, n, (long) mode, (long) flags) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void fchmod(int fd, int mode) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.FCHMOD.invokeExact(state, fd, mode) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void fsync(int fd) throws Failure {
        fdCall(Native.FSYNC, fd);
    }

    static void fdatasync(int fd) throws Failure {
        fdCall(Native.FDATASYNC, fd);
    }

    static void ftruncate(int fd, long size) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) Native.FTRUNCATE.invokeExact(state, fd, size) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** pwrite or pread of {@code length} bytes at {@code address}; returns the count moved (0 at end of file). */
    static long pio(boolean write, int fd, MemorySegment address, long length, long position) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                long n = write ? (long) Native.PWRITE.invokeExact(state, fd, address, length, position)
                        : (long) Native.PREAD.invokeExact(state, fd, address, length, position);
                if (n >= 0) {
                    return n;
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** copy_file_range with explicit offsets; returns the count copied. */
    static long copyFileRange(int in, long inPos, int out, long outPos, long length) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_LONG);
            a.set(JAVA_LONG, 0, inPos);
            MemorySegment b = arena.allocate(JAVA_LONG);
            b.set(JAVA_LONG, 0, outPos);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                long n = (long) Native.COPY_FILE_RANGE.invokeExact(state, in, a, out, b, length, 0);
                if (n >= 0) {
                    return n;
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** getdents64 into {@code buf}; returns the bytes filled, 0 at the end of the directory. */
    static long getdents64(int fd, MemorySegment buf) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while (true) {
                long n = (long) Native.GETDENTS64.invokeExact(state, fd, buf, buf.byteSize());
                if (n >= 0) {
                    return n;
                }
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code bytes} and a NUL, in native memory. */
    private static MemorySegment cstring(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
        return s;
    }

    static void close(int fd) {
        try {
            int ignored = (int) Native.CLOSE.invokeExact(fd); // (EINTR on close: the fd is gone all the same)
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) Native.STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static void nameCall(MethodHandle h, int dirfd, byte[] name, int arg) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = cstring(arena, name);
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) h.invokeExact(state, dirfd, n, arg) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void fdCall(MethodHandle h, int fd) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            while ((int) h.invokeExact(state, fd) != 0) {
                check(state);
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Returns on EINTR (the caller retries); throws the failure otherwise. */
    private static void check(MemorySegment state) throws Failure {
        int errno = (int) Native.ERRNO.get(state, 0L);
        if (errno != EINTR) {
            throw new Failure(errno);
        }
    }

    /** The downcall handles, made when first needed (the holder-class idiom). */
    private static final class Native {
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SYSCALL4 = call("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), true,
                Linker.Option.firstVariadicArg(1));
        static final MethodHandle SYSCALL_CHMOD = call("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG), true,
                Linker.Option.firstVariadicArg(1));
        static final MethodHandle OPENAT = call("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true, Linker.Option.firstVariadicArg(3));
        static final MethodHandle MKDIRAT = call("mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle UNLINKAT = call("unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle RENAMEAT2 = call("renameat2",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle LINKAT = call("linkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle SYMLINKAT = call("symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), true);
        static final MethodHandle READLINKAT = call("readlinkat",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), true);
        static final MethodHandle STATX = call("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), true);
        static final MethodHandle UTIMENSAT = call("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), true);
        static final MethodHandle FUTIMENS = call("futimens", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), true);
        static final MethodHandle FCHMOD = call("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);
        static final MethodHandle FSYNC = call("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
        static final MethodHandle FDATASYNC = call("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
        static final MethodHandle FTRUNCATE = call("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), true);
        static final MethodHandle PWRITE = call("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), true);
        static final MethodHandle PREAD = call("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), true);
        static final MethodHandle COPY_FILE_RANGE = call("copy_file_range",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
        static final MethodHandle GETDENTS64 = call("getdents64",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true);
        static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
        static final MethodHandle STRERROR = call("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);

        private static MethodHandle call(String name, FunctionDescriptor descriptor, boolean captureErrno,
                                         Linker.Option... more) {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find(name)
                    .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + "()"));
            Linker.Option[] options = more;
            if (captureErrno) {
                options = java.util.Arrays.copyOf(more, more.length + 1);
                options[more.length] = Linker.Option.captureCallState("errno");
            }
            return linker.downcallHandle(symbol, descriptor, options);
        }
    }
}
