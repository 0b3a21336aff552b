package dev.ferry.push;

import dev.ferry.hash.StampedDigest.Stamp;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hash lists of big source files a push has read before, so that pushing the same file again — above all after an
 * interrupted push — need not read it all once more only to hash it. An entry holds for one exact state of the
 * file: its {@link Stamp} (size, mtime, ctime, inode, device; the ctime cannot be set back by a user, so a file
 * written again always gets a new stamp) must be the same when the entry is made, before and after hashing, and
 * when it is used. What a stale entry could cost is caught downstream: the receiver checks every chunk it gets
 * against the list, so a file that changed under an unchanged stamp fails its push ("source changed") and the
 * entry is forgotten; it never commits a mix.
 */
public interface DigestCache {
    /** The current stamp of {@code file} (not following a symlink). */
    static Stamp stamp(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev",
                LinkOption.NOFOLLOW_LINKS);
        return new Stamp((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                nanos((FileTime) a.get("ctime")), (Long) a.get("ino"), (Long) a.get("dev"));
    }

    /** {@code stamp} still shows the size and mtime {@code entry} was listed (and offered) with. */
    static boolean matches(Stamp stamp, SourceEntry entry) {
        return stamp.size() == entry.size()
                && stamp.mtimeNanos() == entry.mtimeSeconds() * 1_000_000_000L + entry.mtimeNanos();
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    /** The list hashed for {@code file} in exactly the state {@code stamp}, with that chunking; null if none. */
    FileDigest find(Path file, Stamp stamp, HashAlgorithm algorithm, int chunkSize);

    /** Remembers {@code digest}, hashed while {@code file} held {@code stamp} from start to end. Never throws. */
    void keep(Path file, Stamp stamp, FileDigest digest);

    /** Drops what is known of {@code file} (it did not match its list). Never throws. */
    void forget(Path file);

    /** Remembers nothing: the daemon, whose index knows its files' hashes, and tests that want every read. */
    DigestCache NONE = new DigestCache() {
        @Override
        public FileDigest find(Path file, Stamp stamp, HashAlgorithm algorithm, int chunkSize) {
            return null;
        }

        @Override
        public void keep(Path file, Stamp stamp, FileDigest digest) {
        }

        @Override
        public void forget(Path file) {
        }
    };
}
