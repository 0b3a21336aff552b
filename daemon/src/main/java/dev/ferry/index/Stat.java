package dev.ferry.index;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.EntryKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One lstat(2) of a source path, through the "unix" attribute view so that it names the inode. Only the
 * attributes ferry uses are asked for: {@code unix:*} would also resolve the owner and group names, a passwd
 * lookup per file.
 *
 * @param kind null for a special file (fifo, socket, device)
 */
record Stat(EntryKind kind, long size, long mtimeSeconds, int mtimeNanos, int mode, long inode) {
    static final String ATTRIBUTES = "unix:mode,ino,size,lastModifiedTime,isRegularFile,isDirectory,isSymbolicLink";

    /** @throws NoSuchFileException if nothing is there */
    static Stat of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        EntryKind kind = (Boolean) a.get("isRegularFile") ? EntryKind.FILE
                : (Boolean) a.get("isDirectory") ? EntryKind.DIRECTORY
                : (Boolean) a.get("isSymbolicLink") ? EntryKind.SYMLINK : null;
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        long size = kind == EntryKind.DIRECTORY ? 0 : ((Number) a.get("size")).longValue();
        return new Stat(kind, size, mtime.getEpochSecond(), mtime.getNano(), ((Number) a.get("mode")).intValue() & 07777,
                ((Number) a.get("ino")).longValue());
    }

    /** Empty if nothing is there. */
    static Optional<Stat> ifExists(Path p) throws IOException {
        try {
            return Optional.of(of(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Same kind, size, mtime and inode: a file's bytes are taken not to have moved. */
    boolean sameContentAs(Stat o) {
        return kind == o.kind && size == o.size && mtimeSeconds == o.mtimeSeconds && mtimeNanos == o.mtimeNanos
                && inode == o.inode;
    }

    boolean sameContentAs(IndexEntry e) {
        return e != null && kind == e.kind() && size == e.size() && mtimeSeconds == e.mtimeSeconds()
                && mtimeNanos == e.mtimeNanos() && inode == e.inode();
    }

    IndexEntry toEntry(String path, String linkTarget, FileDigest digest) {
        return new IndexEntry(path, kind, size, mtimeSeconds, mtimeNanos, mode, inode, linkTarget, digest);
    }
}
