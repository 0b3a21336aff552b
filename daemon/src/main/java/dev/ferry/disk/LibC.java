package dev.ferry.disk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The downcall handles of {@link Syscalls}: libc's functions, and {@code syscall(2)} for the two calls glibc 2.36
 * has no wrapper for (openat2, fchmodat2). Made when the class is first used (the holder-class idiom); each call
 * that can fail captures errno. Immutable; any thread.
 */
final class LibC {
    private LibC() {
    }

    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final MethodHandle SYSCALL_OPENAT2 = call("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), true,
            Linker.Option.firstVariadicArg(1));
    static final MethodHandle SYSCALL_FCHMODAT2 = call("syscall",
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
    static final MethodHandle SYNCFS = call("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
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
