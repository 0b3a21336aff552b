package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.NotBeneathException;
import dev.ferry.disk.Stat;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.Protocol;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tree operations a syncing sender asks for besides files: LIST, DELETE, RENAME and SYMLINK, all under one
 * folder root, every path's name checked by {@link SafePaths} and every operation resolved beneath the root by the
 * folder's {@link Beneath} (a symlink on the way fails it: {@link NotBeneathException}), ferry's own
 * {@code .ferry/} never listed or touched. Runs on the session thread that received the frame.
 */
final class TreeOps {
    /** A LISTING frame stays well under the frame limit even with long paths. */
    private static final int LISTING_BYTES = 512 * 1024;

    private TreeOps() {
    }

    /** Walks the subtree and hands out LISTING-sized batches (the last one with {@code more == false}). */
    static void list(Beneath folder, String subtree, int requestId, Consumer<Frame.Listing> out) throws BadPathException, IOException {
        if (!subtree.isEmpty()) {
            SafePaths.segments(subtree);
        }
        List<Frame.ListedEntry> batch = new ArrayList<>();
        int[] bytes = {0};
        Stat start = folder.stat(subtree);
        if (start != null && !start.isDirectory()) {
            batch.add(entry(subtree, start, start.isSymlink() ? folder.readlink(subtree) : ""));
        } else if (start != null) {
            try {
                folder.walk(subtree, (rel, stat, target) -> {
                    if (stat.isDirectory() && rel.equals(SafePaths.STATE_DIR)) {
                        return false;
                    }
                    if (stat.isDirectory() || stat.isFile() || stat.isSymlink()) {
                        Frame.ListedEntry e = entry(rel, stat, target);
                        batch.add(e);
                        bytes[0] += 40 + e.path().length() * 3 + e.linkTarget().length() * 3;
                        if (batch.size() == Protocol.MAX_LISTING_ENTRIES || bytes[0] > LISTING_BYTES) {
                            out.accept(new Frame.Listing(requestId, List.copyOf(batch), true));
                            batch.clear();
                            bytes[0] = 0;
                        }
                    }
                    return true;
                });
            } catch (NoSuchFileException e) {
                // the subtree went while we listed: what was found so far stands
            }
        }
        out.accept(new Frame.Listing(requestId, batch, false));
    }

    private static Frame.ListedEntry entry(String rel, Stat s, String linkTarget) {
        EntryKind kind = s.isSymlink() ? EntryKind.SYMLINK : s.isDirectory() ? EntryKind.DIRECTORY : EntryKind.FILE;
        return new Frame.ListedEntry(kind, rel, s.isDirectory() ? 0 : s.size(), s.mtimeSeconds(), s.mtimeNanos(),
                s.mode() & 07777, linkTarget);
    }

    /**
     * Deletes a file, a symlink (not what it points to) or a whole directory tree, or moves it into the trash when
     * there is one; a missing path is fine.
     *
     * @param trash dates the trash folder; null: there is no trash
     */
    static void delete(Beneath folder, String path, Clock trash) throws BadPathException, FileFailure {
        SafePaths.segments(path);
        try {
            if (trash != null) {
                if (folder.stat(path) != null) {
                    Trash.moveIn(folder, path, trash);
                }
                return;
            }
            folder.deleteTree(path);
        } catch (NoSuchFileException e) {
            return;
        } catch (NotBeneathException e) {
            throw new BadPathException(SafePaths.throughSymlink(path));
        } catch (IOException e) {
            throw FileFailure.of("cannot delete '" + SafePaths.printable(path) + "'", e);
        }
    }

    /**
     * Moves {@code from} to {@code to} within the folder; what was at {@code to} is replaced (see {@link #clearWay}).
     *
     * @param trash dates the trash folder; null: there is no trash
     */
    static void rename(Beneath folder, String from, String to, Clock trash) throws BadPathException, FileFailure {
        SafePaths.segments(from);
        SafePaths.segments(to);
        try {
            Stat source = folder.stat(from);
            if (source == null) {
                throw new FileFailure(ErrorCode.NOT_FOUND, "'" + SafePaths.printable(from) + "' is not on the receiver");
            }
            if (to.equals(from)) {
                return;
            }
            if (to.startsWith(from + "/")) {
                throw new BadPathException("cannot move '" + SafePaths.printable(from) + "' into itself");
            }
            if (from.startsWith(to + "/")) { // replacing 'to' would take 'from' with it
                throw new BadPathException("cannot move '" + SafePaths.printable(from) + "' over '" + SafePaths.printable(to)
                        + "', which holds it");
            }
            folder.mkdirs(SafePaths.parent(to));
            clearWay(folder, to, source.isDirectory(), trash);
            folder.rename(from, to, true);
        } catch (NotBeneathException e) {
            throw new BadPathException(SafePaths.throughSymlink(SafePaths.askedFor(e.getFile(), to, from)));
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
    private static void clearWay(Beneath folder, String target, boolean sourceIsDirectory, Clock trash) throws IOException {
        Stat a = folder.stat(target);
        if (a == null) {
            return;
        }
        boolean replacedAtomically = !a.isDirectory() && !sourceIsDirectory;
        if (trash != null && replacedAtomically && a.isFile()) {
            Trash.keepCopy(folder, target, trash);
        } else if (trash != null) {
            Trash.moveIn(folder, target, trash);
        } else if (!replacedAtomically) {
            folder.deleteTree(target);
        }
    }

    /**
     * Creates (or replaces) a symlink. Its target must stay inside the folder: relative, and resolving (from the
     * link's directory) to a path under the root; otherwise a pushed link could expose the receiver's files. The
     * link is made under a temporary name beside it and renamed over the path, both beneath the root.
     */
    static void symlink(Beneath folder, Frame.Symlink s) throws BadPathException, FileFailure {
        SafePaths.segments(s.path());
        Path root = folder.root();
        Path link = root.resolve(s.path());
        // (NUL first: a Path cannot hold it, and getPath would throw rather than refuse)
        if (s.target().isEmpty() || s.target().indexOf('\0') >= 0
                || root.getFileSystem().getPath(s.target()).isAbsolute()
                || !link.getParent().resolve(s.target()).normalize().startsWith(root)) {
            throw new BadPathException("symlink '" + SafePaths.printable(s.path()) + "' -> '" + SafePaths.printable(s.target())
                    + "' points outside the folder");
        }
        try {
            String parent = SafePaths.parent(s.path());
            folder.mkdirs(parent);
            String temp = (parent.isEmpty() ? "" : parent + "/") + ".ferry-link-" + Long.toHexString(System.nanoTime());
            folder.symlink(s.target(), temp);
            try {
                folder.setMtimeNoFollow(temp, s.mtimeSeconds(), s.mtimeNanos());
                folder.rename(temp, s.path(), true);
            } catch (IOException e) {
                folder.deleteFile(temp);
                throw e;
            }
        } catch (NotBeneathException e) {
            throw new BadPathException(SafePaths.throughSymlink(s.path()));
        } catch (IOException e) {
            throw FileFailure.of("cannot create symlink '" + SafePaths.printable(s.path()) + "'", e);
        }
    }
}
