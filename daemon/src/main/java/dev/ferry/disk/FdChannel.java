package dev.ferry.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} over a raw file descriptor that {@link Beneath} opened, so that code written against
 * FileChannel (partial files, sidecars, hashing) works on a file opened race-free beneath a folder root: the JDK
 * cannot wrap a descriptor it did not open. Reads and writes are pread/pwrite at an explicit position (the channel
 * keeps its own position for the relative calls); a direct buffer is handed to the kernel as it is, a heap buffer
 * goes through a native scratch buffer of at most {@value #SCRATCH_BYTES} bytes per call. {@link #transferTo}
 * between two such channels is copy_file_range (the kernel copies, or shares extents). No mapping, no locks.
 *
 * <p>Thread-safety as FileChannel's positional calls: any number of threads may read and write at positions; the
 * relative calls and {@link #position} are for one thread at a time. The FFM downcalls pin a virtual thread's
 * carrier while the kernel works: short for reads and writes (the page cache), long for a sync, which therefore
 * runs on a platform thread ({@link OffCarrier}).
 */
public final class FdChannel extends FileChannel {
    private static final int SCRATCH_BYTES = 128 * 1024;

    private final int fd;
    private final String name;
    private final boolean writable;
    private long position;

    FdChannel(int fd, String name, boolean writable) {
        this.fd = fd;
        this.name = name;
        this.writable = writable;
    }

    /** The path relative to the folder root it was opened at, as errors name it. */
    public String name() {
        return name;
    }

    int fd() {
        return fd;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = read(dst, position);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (dsts[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, position);
        position += n;
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            while (srcs[i].hasRemaining()) {
                total += write(srcs[i]);
            }
        }
        return total;
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            Syscalls.statx(fd, new byte[0], Syscalls.AT_EMPTY_PATH, buf, arena);
            return buf.get(java.lang.foreign.ValueLayout.JAVA_LONG, 40);
        } catch (Syscalls.Failure f) {
            throw f.exception("statx", name);
        }
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        ensureOpen();
        if (size < size()) {
            try {
                Syscalls.ftruncate(fd, size);
            } catch (Syscalls.Failure f) {
                throw f.exception("ftruncate", name);
            }
        }
        position = Math.min(position, size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        try {
            if (metaData) {
                OffCarrier.run(() -> Syscalls.fsync(fd));
            } else {
                OffCarrier.run(() -> Syscalls.fdatasync(fd));
            }
        } catch (Syscalls.Failure f) {
            throw f.exception("fsync", name);
        }
    }

    /** fchmod: the permission bits of the open file (no path is resolved again). */
    public void setMode(int mode) throws IOException {
        ensureOpen();
        try {
            Syscalls.fchmod(fd, mode & 07777);
        } catch (Syscalls.Failure f) {
            throw f.exception("fchmod", name);
        }
    }

    /** futimens: the modification time of the open file (the access time is left alone). */
    public void setMtime(long seconds, int nanos) throws IOException {
        ensureOpen();
        try {
            Syscalls.futimens(fd, seconds, nanos);
        } catch (Syscalls.Failure f) {
            throw f.exception("futimens", name);
        }
    }

    /** The open file's mode, size and times. */
    public Stat stat() throws IOException {
        ensureOpen();
        return Resolver.statOf(fd, new byte[0], Syscalls.AT_EMPTY_PATH, name);
    }

    @Override
    public long transferTo(long from, long count, WritableByteChannel target) throws IOException {
        ensureOpen();
        if (target instanceof FdChannel out) {
            long outPos = out.position();
            long n;
            try {
                n = Syscalls.copyFileRange(fd, from, out.fd, outPos, count);
            } catch (Syscalls.Failure f) {
                if (f.errno != Syscalls.EXDEV && f.errno != Syscalls.EINVAL && f.errno != Syscalls.ENOSYS
                        && f.errno != Syscalls.EOPNOTSUPP) {
                    throw f.exception("copy_file_range", name);
                }
                n = copyThroughBuffer(from, count, target);
                return n;
            }
            out.position(outPos + n);
            return n;
        }
        return copyThroughBuffer(from, count, target);
    }

    private long copyThroughBuffer(long from, long count, WritableByteChannel target) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(SCRATCH_BYTES, Math.max(1, count)));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = read(buf, from + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                target.write(buf);
            }
            done += n;
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(SCRATCH_BYTES, Math.max(1, count)));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                done += write(buf, at + done);
            }
        }
        return done;
    }

    @Override
    public int read(ByteBuffer dst, long at) throws IOException {
        return (int) io(false, dst, at);
    }

    @Override
    public int write(ByteBuffer src, long at) throws IOException {
        if (!writable) {
            throw new java.nio.channels.NonWritableChannelException();
        }
        return (int) io(true, src, at);
    }

    /** One pread or pwrite of the buffer's remaining bytes (fewer when the kernel moves fewer); -1 at end of file. */
    private long io(boolean write, ByteBuffer buf, long at) throws IOException {
        ensureOpen();
        if (at < 0) {
            throw new IllegalArgumentException("position " + at);
        }
        int length = buf.remaining();
        if (length == 0) {
            return 0;
        }
        try {
            long n;
            if (buf.isDirect()) {
                MemorySegment segment = MemorySegment.ofBuffer(buf);
                n = Syscalls.pio(write, fd, segment, length, at);
            } else {
                int piece = Math.min(length, SCRATCH_BYTES);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment scratch = arena.allocate(piece);
                    if (write) {
                        MemorySegment.copy(MemorySegment.ofBuffer(buf), 0, scratch, 0, piece);
                    }
                    n = Syscalls.pio(write, fd, scratch, piece, at);
                    if (!write && n > 0) {
                        MemorySegment.copy(scratch, 0, MemorySegment.ofBuffer(buf), 0, n);
                    }
                }
            }
            if (n == 0 && !write) {
                return -1;
            }
            buf.position(buf.position() + (int) n);
            return n;
        } catch (Syscalls.Failure f) {
            throw f.exception(write ? "pwrite" : "pread", name);
        }
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long size) {
        throw new UnsupportedOperationException("no mapping of a file opened beneath a root");
    }

    @Override
    public FileLock lock(long at, long size, boolean shared) {
        throw new UnsupportedOperationException("no locks on a file opened beneath a root");
    }

    @Override
    public FileLock tryLock(long at, long size, boolean shared) {
        throw new UnsupportedOperationException("no locks on a file opened beneath a root");
    }

    @Override
    protected void implCloseChannel() {
        Syscalls.close(fd);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }
}
