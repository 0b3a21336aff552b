package dev.ferry.disk;

import static dev.ferry.disk.Syscalls.AT_SYMLINK_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_CLOEXEC;
import static dev.ferry.disk.Syscalls.O_DIRECTORY;
import static dev.ferry.disk.Syscalls.O_NOFOLLOW;
import static dev.ferry.disk.Syscalls.O_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory of the sender's source tree held open while its entries are listed and stat'ed: one getdents64 per
 * 32 KiB of names and one statx per entry relative to the directory's descriptor, with no {@code Path}, attribute
 * map or exception made per entry (what a walk of 100,000s of entries spends its time on through the JDK's
 * {@code DirectoryStream} and {@code Files.readAttributes}). Open it with {@link #open}, then {@link #names} (read
 * at the open) and {@link #lstat} each by its index; close it.
 *
 * <p>Used by one thread (the scanning one); not thread-safe.
 */
public final class OpenDirectory implements AutoCloseable {
    private static final int AT_FDCWD = -100;
    /** 32 KiB of directory entries per getdents64 call. */
    private static final int DENTS_BYTES = 32 * 1024;
    /** struct statx is 256 bytes on every architecture. */
    private static final int STATX_BYTES = 256;

    private final int fd;
    private final String rel;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment statBuf;
    private final List<byte[]> raw = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private boolean closed;

    private OpenDirectory(int fd, String rel) {
        this.fd = fd;
        this.rel = rel;
        this.statBuf = arena.allocate(STATX_BYTES, 8);
    }

    /**
     * Opens the directory at {@code dir} and reads its names ("." and ".." left out).
     *
     * @param dir        an absolute path on the default file system
     * @param followLink whether a symlink at {@code dir} itself is followed (the source root, which the user named);
     *                   if not, a symlink there fails as {@link NotDirectoryException}, as a directory replaced since
     *                   it was stat'ed
     * @param rel        the path the errors name
     * @throws java.nio.file.NoSuchFileException if nothing is there
     * @throws NotDirectoryException             if it is not a directory (or, not followed, a symlink)
     * @throws IOException                       if it cannot be opened or read (AccessDeniedException and others)
     */
    public static OpenDirectory open(Path dir, boolean followLink, String rel) throws IOException {
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLink ? 0 : O_NOFOLLOW);
        int fd;
        try {
            fd = Syscalls.openat(AT_FDCWD, dir.toString().getBytes(StandardCharsets.UTF_8), flags, 0);
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.ELOOP) {
                throw new NotDirectoryException(rel); // a symlink now: replaced since it was looked at
            }
            throw f.exception("open", rel);
        }
        OpenDirectory d = new OpenDirectory(fd, rel);
        try {
            d.readNames();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The entries' names, in the order the directory gives them; {@link #lstat} takes an index into this list. */
    public List<String> names() {
        return names;
    }

    /**
     * statx of the {@code i}th entry, not following a symlink; null if it is gone since the listing.
     *
     * @throws IOException if it cannot be stat'ed (AccessDeniedException for a directory without search permission)
     */
    public Stat lstat(int i) throws IOException {
        String name = names.get(i);
        try (Arena call = Arena.ofConfined()) { // (the name's C string lives only for the call)
            Syscalls.statx(fd, raw.get(i), AT_SYMLINK_NOFOLLOW, statBuf, call);
        } catch (Syscalls.Failure f) {
            if (f.errno == Syscalls.ENOENT) {
                return null;
            }
            throw f.exception("statx", rel.isEmpty() ? name : rel + "/" + name);
        }
        return Stat.ofStatx(statBuf);
    }

    private void readNames() throws IOException {
        MemorySegment buf = arena.allocate(DENTS_BYTES, 8);
        try {
            while (true) {
                long filled = Syscalls.getdents64(fd, buf);
                if (filled == 0) {
                    return;
                }
                int from = raw.size();
                Syscalls.direntNames(buf, filled, raw);
                for (int i = from; i < raw.size(); i++) {
                    names.add(new String(raw.get(i), StandardCharsets.UTF_8));
                }
            }
        } catch (Syscalls.Failure f) {
            throw f.exception("getdents64", rel);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(fd);
            arena.close();
        }
    }
}
