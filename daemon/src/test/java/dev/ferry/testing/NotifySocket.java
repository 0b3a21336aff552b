package dev.ferry.testing;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The service manager's end of {@code $NOTIFY_SOCKET}, for tests: a Unix datagram socket bound to a path or an
 * abstract name, from which the test thread receives what a process sends ({@code READY=1}, ...). The JDK has no
 * datagram Unix sockets, so this calls {@code socket}, {@code bind}, {@code setsockopt(SO_RCVTIMEO)} and
 * {@code recv} through the FFM API; it is written apart from {@code dev.ferry.service.UnixDatagram} (and checked
 * against systemd's own {@code systemd-notify} in {@code NotifySocketTest}) so that a mistake in one cannot hide
 * the same mistake in the other. Linux x86-64/AArch64 constants. Threads: the test thread only.
 */
public final class NotifySocket implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int MAX_DATAGRAM = 4096;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = errnoCall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = errnoCall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String address;
    private final Path file;
    private final int fd;

    private NotifySocket(String address, Path file, int fd) {
        this.address = address;
        this.file = file;
        this.fd = fd;
    }

    /** Binds to the file {@code path} (which must not exist; {@link #close} deletes it). */
    public static NotifySocket bind(Path path) throws IOException {
        String name = path.toAbsolutePath().toString();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] sunPath = new byte[bytes.length + 1];   // with its terminating NUL
        System.arraycopy(bytes, 0, sunPath, 0, bytes.length);
        return open(name, sunPath, path.toAbsolutePath());
    }

    /** Binds to the abstract name {@code name} ({@code NOTIFY_SOCKET=@name}): a leading NUL, no trailing one. */
    public static NotifySocket bindAbstract(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] sunPath = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, sunPath, 1, bytes.length);
        return open("@" + name, sunPath, null);
    }

    private static NotifySocket open(String address, byte[] sunPath, Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            check(fd, "socket", state);
            MemorySegment sockaddr = arena.allocate(110, 8);
            sockaddr.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(sunPath, 0, sockaddr, JAVA_BYTE, 2, sunPath.length);
            int rc = (int) BIND.invokeExact(state, fd, sockaddr, 2 + sunPath.length);
            if (rc != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                check(rc, "bind " + address, state);
            }
            return new NotifySocket(address, file, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** What to put in {@code NOTIFY_SOCKET}. */
    public String address() {
        return address;
    }

    /** The next datagram, or empty when none arrives within {@code timeout}. */
    public Optional<String> receive(Duration timeout) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment timeval = arena.allocate(16, 8);   // struct timeval { long tv_sec; long tv_usec; }
            long micros = Math.max(1, timeout.toNanos() / 1_000);
            timeval.set(JAVA_LONG, 0, micros / 1_000_000);
            timeval.set(JAVA_LONG, 8, micros % 1_000_000);
            check((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16), "setsockopt", state);
            MemorySegment buffer = arena.allocate(MAX_DATAGRAM);
            long n;
            do {
                n = (long) RECV.invokeExact(state, fd, buffer, (long) MAX_DATAGRAM, 0);
            } while (n < 0 && errno(state) == EINTR);
            if (n < 0 && errno(state) == EAGAIN) {
                return Optional.empty();
            }
            check((int) Math.min(n, 0), "recv", state);
            return Optional.of(new String(buffer.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** Every datagram that arrives until none has come for {@code quiet}. */
    public List<String> drain(Duration quiet) throws IOException {
        List<String> all = new ArrayList<>();
        for (Optional<String> m = receive(quiet); m.isPresent(); m = receive(quiet)) {
            all.add(m.get());
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IOException(t);
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public String toString() {
        return "NOTIFY_SOCKET=" + address;
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static void check(int rc, String call, MemorySegment state) throws IOException {
        if (rc < 0) {
            throw new IOException(call + " failed: errno " + errno(state));
        }
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }
}
