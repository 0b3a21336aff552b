package dev.ferry.service;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * One datagram to a Unix socket, and {@code CLOCK_MONOTONIC}: the libc calls the JDK does not offer, made through
 * the FFM API. Each {@link #send} opens its own {@code socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC)}, calls
 * {@code sendto(2)} with a {@code sockaddr_un} and closes it again, as {@code sd_notify(3)} does: a daemon sends a
 * handful of these in its life, so there is nothing worth keeping open.
 *
 * <pre>
 * struct sockaddr_un {            offset  size
 *     sa_family_t sun_family;        0      2   AF_UNIX, native byte order
 *     char        sun_path[108];     2    108   NotifyAddress.sunPath(), the rest unused
 * };                                            address length passed to sendto: 2 + sunPath().length
 * </pre>
 *
 * The constants are Linux's on x86-64 and AArch64 (ferry runs on Linux only: it watches with inotify). The method
 * handles are made on first use ({@code Native}), so a process that never notifies never makes a restricted call
 * (which would warn without native access granted). Threads: any; calls share nothing.
 */
final class UnixDatagram {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int EINTR = 4;
    private static final long SUN_FAMILY_OFFSET = 0;
    private static final long SUN_PATH_OFFSET = 2;
    private static final long SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + NotifyAddress.SUN_PATH_SIZE;

    private UnixDatagram() {
    }

    /**
     * Sends {@code message} as one datagram to {@code to}.
     *
     * @throws IOException naming the call and the system's error, e.g. {@code sendto /run/x: No such file or
     *                     directory (errno 2)}
     */
    static void send(NotifyAddress to, byte[] message) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Native.CAPTURE);
            int fd = (int) Native.SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("socket(AF_UNIX, SOCK_DGRAM)", state);
            }
            try {
                byte[] path = to.sunPath();
                MemorySegment address = arena.allocate(SOCKADDR_UN_SIZE, 8);
                address.set(JAVA_SHORT, SUN_FAMILY_OFFSET, (short) AF_UNIX);
                MemorySegment.copy(path, 0, address, JAVA_BYTE, SUN_PATH_OFFSET, path.length);
                MemorySegment data = arena.allocate(Math.max(1, message.length));
                MemorySegment.copy(message, 0, data, JAVA_BYTE, 0, message.length);
                long sent;
                do {
                    sent = (long) Native.SENDTO.invokeExact(state, fd, data, (long) message.length, MSG_NOSIGNAL,
                            address, (int) (SUN_PATH_OFFSET + path.length));
                } while (sent < 0 && errno(state) == EINTR);
                if (sent < 0) {
                    throw failure("sendto " + to, state);
                }
                if (sent != message.length) {
                    throw new IOException("sendto " + to + ": sent " + sent + " of " + message.length + " bytes");
                }
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("calling libc: " + t, t);
        }
    }

    /** {@code clock_gettime(CLOCK_MONOTONIC)} in microseconds: the clock systemd's {@code MONOTONIC_USEC=} means. */
    static long monotonicMicros() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);   // struct timespec { long tv_sec; long tv_nsec; }
            int rc = (int) Native.CLOCK_GETTIME.invokeExact(CLOCK_MONOTONIC, timespec);
            if (rc != 0) {
                throw new IOException("clock_gettime(CLOCK_MONOTONIC) returned " + rc);
            }
            return timespec.get(JAVA_LONG, 0) * 1_000_000 + timespec.get(JAVA_LONG, 8) / 1_000;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("calling libc: " + t, t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) Native.ERRNO.get(state, 0L);
    }

    private static IOException failure(String call, MemorySegment state) throws Throwable {
        int errno = errno(state);
        MemorySegment text = (MemorySegment) Native.STRERROR.invokeExact(errno);
        return new IOException(call + ": " + text.reinterpret(256).getString(0) + " (errno " + errno + ")");
    }

    /** The downcall handles, made when first needed (the holder-class idiom). */
    private static final class Native {
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                true);
        static final MethodHandle SENDTO = call("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
        static final MethodHandle STRERROR = call("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);
        static final MethodHandle CLOCK_GETTIME = call("clock_gettime",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), false);

        private static MethodHandle call(String name, FunctionDescriptor descriptor, boolean captureErrno) {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find(name)
                    .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + "()"));
            return captureErrno
                    ? linker.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"))
                    : linker.downcallHandle(symbol, descriptor);
        }
    }
}
