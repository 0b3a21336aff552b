package dev.ferry.index;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.HashAlgorithm;
import java.nio.file.FileSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/** Shared test helpers: an in-memory file system that answers "unix:*" attributes, entry generators, log capture. */
final class Fixtures {
    private Fixtures() {
    }

    /** Jimfs with the "unix" view (not in {@code Configuration.unix()} by default): inode, mode, sizes. */
    static FileSystem unixFs() {
        return Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setAttributeViews("basic", "owner", "posix", "unix").build());
    }

    static FileDigest digest(Random r, long size, int chunkSize) {
        HashAlgorithm a = r.nextBoolean() ? HashAlgorithm.XXH3_128 : HashAlgorithm.SHA_256;
        byte[] chunks = new byte[FileDigest.chunkCount(size, chunkSize) * a.digestLength()];
        r.nextBytes(chunks);
        return FileDigest.of(a, chunkSize, size, chunks);
    }

    /** {@code n} entries of every kind (files with and without digests, directories, symlinks), sorted by path. */
    static List<IndexEntry> randomEntries(long seed, int n) {
        Random r = new Random(seed);
        TreeMap<String, IndexEntry> m = new TreeMap<>();
        while (m.size() < n) {
            String path = "d" + r.nextInt(4) + "/" + (r.nextBoolean() ? "sub/" : "") + "n" + r.nextInt(1000)
                    + (r.nextInt(5) == 0 ? "-é" : "");
            long mtime = 1_600_000_000L + r.nextInt(100_000_000);
            int nanos = r.nextInt(1_000_000_000);
            int mode = r.nextInt(07777 + 1);
            long inode = r.nextInt(10) == 0 ? 0 : (r.nextLong() & Long.MAX_VALUE);
            IndexEntry e = switch (r.nextInt(4)) {
                case 0 -> IndexEntry.directory(path, mtime, nanos, mode, inode);
                case 1 -> IndexEntry.symlink(path, "../t" + r.nextInt(100), 5, mtime, nanos, mode, inode);
                case 2 -> IndexEntry.file(path, r.nextInt(3 * 4096), mtime, nanos, mode, inode, null);
                default -> {
                    long size = r.nextInt(3 * 4096);
                    yield IndexEntry.file(path, size, mtime, nanos, mode, inode, digest(r, size, 4096));
                }
            };
            m.put(path, e);
        }
        return new ArrayList<>(m.values());
    }

}
