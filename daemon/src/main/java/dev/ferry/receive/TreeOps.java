package dev.ferry.receive;

import dev.ferry.disk.Directories;
import dev.ferry.path.RelativePath;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.Protocol;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tree operations a syncing sender asks for besides files: LIST, DELETE, RENAME and SYMLINK, all under one
 * folder root, every path checked by {@link SafePaths}, ferry's own {@code .ferry/} never listed or touched.
 * Runs on the session thread that received the frame.
 */
final class TreeOps {
    /** A LISTING frame stays well under the frame limit even with long paths. */
    private static final int LISTING_BYTES = 512 * 1024;

    private TreeOps() {
    }

    /** Walks the subtree and hands out LISTING-sized batches (the last one with {@code more == false}). */
    static void list(Path root, String subtree, int requestId, Consumer<Frame.Listing> out) throws BadPathException, IOException {
        Path start = subtree.isEmpty() ? root : SafePaths.resolve(root, subtree);
        List<Frame.ListedEntry> batch = new ArrayList<>();
        int[] bytes = {0};
        if (Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (dir.equals(root.resolve(SafePaths.STATE_DIR))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!dir.equals(root)) {
                        add(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                        add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished while listing: the sender re-checks what it needs
                }

                private void add(Path p) throws IOException {
                    Frame.ListedEntry e = entry(root, p);
                    batch.add(e);
                    bytes[0] += 40 + e.path().length() * 3 + e.linkTarget().length() * 3;
                    if (batch.size() == dev.ferry.wire.Protocol.MAX_LISTING_ENTRIES || bytes[0] > LISTING_BYTES) {
                        out.accept(new Frame.Listing(requestId, batch, true));
                        batch.clear();
                        bytes[0] = 0;
                    }
                }
            });
        }
        out.accept(new Frame.Listing(requestId, batch, false));
    }

    private static Frame.ListedEntry entry(Path root, Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,isDirectory,isSymbolicLink",
                LinkOption.NOFOLLOW_LINKS);
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        boolean dir = (Boolean) a.get("isDirectory");
        boolean link = (Boolean) a.get("isSymbolicLink");
        EntryKind kind = link ? EntryKind.SYMLINK : dir ? EntryKind.DIRECTORY : EntryKind.FILE;
        String rel = RelativePath.between(root, p).text();
        return new Frame.ListedEntry(kind, rel, dir ? 0 : (Long) a.get("size"), mtime.getEpochSecond(), mtime.getNano(),
                ((Integer) a.get("mode")) & 07777, link ? Files.readSymbolicLink(p).toString() : "");
    }

    /**
     * Deletes a file, a symlink (not what it points to) or a whole directory tree, or moves it into the trash when
     * there is one; a missing path is fine.
     *
     * @param trash dates the trash folder; null: there is no trash
     */
    static void delete(Path root, String path, Clock trash) throws BadPathException, FileFailure {
        Path target;
        try {
            target = SafePaths.resolve(root, path);
            if (trash != null) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Trash.moveIn(root, target, trash);
                }
                return;
            }
            Directories.deleteTree(target);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw FileFailure.of("cannot delete '" + SafePaths.printable(path) + "'", e);
        }
    }

    /**
     * Moves {@code from} to {@code to} within the folder; what was at {@code to} is replaced (see {@link #clearWay}).
     *
     * @param trash dates the trash folder; null: there is no trash
     */
    static void rename(Path root, String from, String to, Clock trash) throws BadPathException, FileFailure {
        try {
            Path source = SafePaths.resolve(root, from);
            Path target = SafePaths.resolve(root, to);
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileFailure(ErrorCode.NOT_FOUND, "'" + SafePaths.printable(from) + "' is not on the receiver");
            }
            if (target.equals(source)) {
                return;
            }
            if (target.startsWith(source)) {
                throw new BadPathException("cannot move '" + SafePaths.printable(from) + "' into itself");
            }
            if (source.startsWith(target)) { // replacing 'to' would take 'from' with it
                throw new BadPathException("cannot move '" + SafePaths.printable(from) + "' over '" + SafePaths.printable(to)
                        + "', which holds it");
            }
            SafePaths.createParents(root, target);
            clearWay(root, target, Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS), trash);
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw FileFailure.of("cannot rename '" + SafePaths.printable(from) + "' to '" + SafePaths.printable(to) + "'", e);
        }
    }

    /**
     * Deals with what a rename is about to replace; nothing there is fine. rename(2) replaces a file (or symlink) by
     * a file atomically, so that case is left to it, with the old file hard-linked into the trash first when there is
     * one. Anything else in the way (a directory, or anything where a directory goes) rename(2) refuses to replace:
     * it is moved into the trash, or without one deleted (a stale directory in the way of a mirror's rename).
     * DELETE and a replacing upload keep what they destroy the same way.
     */
    private static void clearWay(Path root, Path target, boolean sourceIsDirectory, Clock trash) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        boolean replacedAtomically = !a.isDirectory() && !sourceIsDirectory;
        if (trash != null && replacedAtomically && a.isRegularFile()) {
            Trash.keepCopy(root, target, trash);
        } else if (trash != null) {
            Trash.moveIn(root, target, trash);
        } else if (!replacedAtomically) {
            Directories.deleteTree(target);
        }
    }

    /**
     * Creates (or replaces) a symlink. Its target must stay inside the folder: relative, and resolving (from the
     * link's directory) to a path under the root; otherwise a pushed link could expose the receiver's files.
     */
    static void symlink(Path root, Frame.Symlink s) throws BadPathException, FileFailure {
        try {
            Path link = SafePaths.resolve(root, s.path());
            Path target = root.getFileSystem().getPath(s.target());
            if (s.target().isEmpty() || s.target().indexOf('\0') >= 0 || target.isAbsolute()
                    || !link.getParent().resolve(target).normalize().startsWith(root)) {
                throw new BadPathException("symlink '" + SafePaths.printable(s.path()) + "' -> '" + SafePaths.printable(s.target())
                        + "' points outside the folder");
            }
            SafePaths.createParents(root, link);
            Path temp = link.resolveSibling(".ferry-link-" + Long.toHexString(System.nanoTime()));
            Files.createSymbolicLink(temp, target);
            Files.getFileAttributeView(temp, java.nio.file.attribute.BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(FileTime.from(Instant.ofEpochSecond(s.mtimeSeconds(), s.mtimeNanos())), null, null);
            try {
                Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        } catch (IOException e) {
            throw FileFailure.of("cannot create symlink '" + SafePaths.printable(s.path()) + "'", e);
        }
    }
}
