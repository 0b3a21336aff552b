package dev.ferry.index;

import dev.ferry.disk.OpenDirectory;
import dev.ferry.wire.EntryKind;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One directory's entries for a {@link TreeWalk}: the names, read when it is opened, then each entry stat'ed (lstat)
 * by its index. On Linux's default file system the directory is held open and read with getdents64 and statx
 * ({@link OpenDirectory}: no {@code Path}, attribute map or exception per entry, the bulk of a 100,000-file walk's
 * time otherwise); elsewhere (jimfs in the unit tests) through the JDK. Used by the scanning thread; close it.
 */
sealed interface DirectoryEntries extends AutoCloseable {
    /** Whether the native way is open to a tree on {@code fs}'s file system. */
    static boolean nativeFor(Path root) {
        return root.getFileSystem() == FileSystems.getDefault()
                && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /**
     * Lists the directory {@code rel} at {@code dir}; a symlink there is not followed unless it is the root
     * ({@code rel} is "").
     *
     * @throws java.nio.file.NoSuchFileException   if it is gone
     * @throws java.nio.file.NotDirectoryException if it is no longer a directory
     */
    static DirectoryEntries open(Path dir, String rel, boolean nativeWay) throws IOException {
        if (nativeWay) {
            return new Native(OpenDirectory.open(dir, rel.isEmpty(), rel));
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                children.add(c);
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return new Jdk(children);
    }

    int size();

    String name(int i);

    /** lstat of the {@code i}th entry; empty if it is gone since the listing. */
    Optional<Stat> stat(int i) throws IOException;

    @Override
    void close();

    /** Through {@link OpenDirectory}. */
    record Native(OpenDirectory dir) implements DirectoryEntries {
        @Override
        public int size() {
            return dir.names().size();
        }

        @Override
        public String name(int i) {
            return dir.names().get(i);
        }

        @Override
        public Optional<Stat> stat(int i) throws IOException {
            dev.ferry.disk.Stat s = dir.lstat(i);
            if (s == null) {
                return Optional.empty();
            }
            EntryKind kind = switch (s.kind()) {
                case FILE -> EntryKind.FILE;
                case DIRECTORY -> EntryKind.DIRECTORY;
                case SYMLINK -> EntryKind.SYMLINK;
                case OTHER -> null;
            };
            return Optional.of(new Stat(kind, kind == EntryKind.DIRECTORY ? 0 : s.size(), s.mtimeSeconds(),
                    s.mtimeNanos(), s.mode(), s.inode()));
        }

        @Override
        public void close() {
            dir.close();
        }
    }

    /** Through the JDK: {@code DirectoryStream} and one attribute read per entry. */
    record Jdk(List<Path> children) implements DirectoryEntries {
        @Override
        public int size() {
            return children.size();
        }

        @Override
        public String name(int i) {
            return children.get(i).getFileName().toString();
        }

        @Override
        public Optional<Stat> stat(int i) throws IOException {
            return Scanner.stat(children.get(i));
        }

        @Override
        public void close() {
        }
    }
}
