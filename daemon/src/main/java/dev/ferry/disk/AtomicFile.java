package dev.ferry.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a file so that a reader, or a restart after a crash, sees the old content or the new, never a mix:
 * write the new content under a temporary name, force it, rename it over the file, force the directory. A format
 * whose loss in a crash costs only work done again may skip both forces ({@link Sync#NO_FSYNC}); the rename
 * still keeps readers from seeing a half-written file. Stateless; any thread.
 */
public final class AtomicFile {
    /**
     * Whether the content and the rename are forced to disk before the replace returns (one file's replace; the
     * receiver's {@code durability: fsync|none} setting is {@code config.Durability}).
     */
    public enum Sync {
        /** Forced: after a crash the new content is there, whole. */
        FSYNC,
        /** Not forced: after a crash the old content, the new, or none may be there; never a half-written file. */
        NO_FSYNC
    }

    /** Puts the new content into the temporary file, opened for writing at offset 0. */
    public interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    private AtomicFile() {
    }

    /** The temporary name a file is written under when only one writer replaces it at a time: NAME.tmp. */
    public static Path tempBeside(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * Replaces {@code file} with {@code content}, written to {@code temp} first (a name beside it: see
     * {@link #tempBeside}, or a unique name where several writers may replace at once). If anything fails,
     * {@code temp} is removed and {@code file} keeps its old content.
     */
    public static void replace(Path file, Path temp, Sync sync, Content content) throws IOException {
        writeTemp(temp, sync, content);
        try {
            install(temp, file, sync);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
    }

    /**
     * The first half of {@link #replace}, for a format that wants its crash cases tested between the halves:
     * writes {@code temp} (created or truncated) and forces it if {@link Sync#FSYNC}. Removes it if
     * anything fails.
     */
    public static void writeTemp(Path temp, Sync sync, Content content) throws IOException {
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            content.writeTo(ch);
            if (sync == Sync.FSYNC) {
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
    }

    /** The second half of {@link #replace}: renames {@code temp} over {@code file}, then forces the directory. */
    public static void install(Path temp, Path file, Sync sync) throws IOException {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync == Sync.FSYNC) {
            Directories.fsync(file.toAbsolutePath().getParent());
        }
    }

    private static void deleteAfterFailure(Path temp, Exception failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }
}
