package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.FdChannel;
import dev.ferry.disk.Stat;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.StampedDigest;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk hashes of the big files a folder holds, so that the NEED for a new version of one is answered from them
 * instead of reading the old version again to hash it (a 1 MiB change in a 1 GiB file then costs the receiver no
 * read at all), and a copied or moved file is made from the chunks of the one it was copied from. One
 * {@link StampedDigest} per file of at least {@value #MIN_SIZE} bytes, written when the receiver puts the file in
 * place, in {@code .ferry/held/<size>-<h>.digest} ({@code h} the XXH3-128 of the path, like the partial files),
 * keyed by the path and the file's stamp just after it was put there: size, mtime, ctime, inode, device.
 * Anything that changes the file afterwards (a write, a truncate, a chmod, a touch that restores the mtime) moves its
 * ctime, which nobody can set back, so a list is used only for the very file it was made from; otherwise the file is
 * read and hashed as before. Smaller files are cheap to hash again, and an entry each would cost a small push two
 * more files per file. The folder's {@link ChunkIndex} is made from these entries: chunks of any held file are
 * copied into a new file that has them, at any index.
 *
 * <p>A cache: not fsynced (lost in a crash, the next version is hashed from the file), CRC-checked (a torn or foreign
 * entry is ignored), every access beneath the folder like any other file of the receiver's. An entry of a file that
 * is later deleted or renamed is left behind until {@link #expire} (with the folder's other state, hourly) finds
 * that it matches no file's stamp any more.
 * Stateless apart from the folder; one session's thread at a time per path (the path's lock).
 */
final class HeldHashes {
    private static final Logger log = LoggerFactory.getLogger(HeldHashes.class);
    static final String DIR = SafePaths.STATE_DIR + "/held";
    /** The size from which a file's hashes are kept: a file a sender offers streamed (see FilePreparer). */
    static final long MIN_SIZE = 8L << 20;
    private static final String SUFFIX = ".digest";
    private static final String TMP_SUFFIX = ".tmp";
    /** Bounds what a lookup reads: a 1 TiB file's list at 1 MiB chunks and XXH3 is 16 MiB. */
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    private final Beneath folder;

    HeldHashes(Beneath folder) {
        this.folder = folder;
    }

    /** The list kept for the file at {@code path} if it is still exactly the file it was made from; null otherwise. */
    FileDigest find(String path, Stat now, HashAlgorithm algorithm, int chunkSize) {
        if (now.size() < MIN_SIZE) {
            return null;
        }
        String entry = entryOf(path, now.size());
        try {
            StampedDigest d = read(entry);
            return d == null ? null : d.digestFor(path, stampOf(now), algorithm, chunkSize);
        } catch (IOException | RuntimeException e) {
            log.debug("held hashes unreadable path={} reason={}", SafePaths.printable(path), e.toString());
            return null;
        }
    }

    /** The entry at {@code entry} (relative to the root); null if there is none or it is not a whole, intact one. */
    private StampedDigest read(String entry) throws IOException {
        Stat s = folder.stat(entry);
        if (s == null || !s.isFile() || s.size() > MAX_ENTRY_BYTES) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) s.size());
        try (FdChannel ch = folder.openFile(entry, Beneath.Access.READ)) {
            int n;
            do {
                n = ch.read(bytes);
            } while (n > 0 && bytes.hasRemaining());
        } catch (NoSuchFileException e) {
            return null;
        }
        return bytes.hasRemaining() ? null : StampedDigest.decode(bytes.flip());
    }

    /**
     * Remembers {@code chunkHashes} for the file the receiver has just put at {@code path} (stamped now, after its
     * rename and metadata). Never throws: without an entry the next version is hashed from the file.
     */
    void keep(String path, HashAlgorithm algorithm, int chunkSize, byte[] chunkHashes) {
        String tmp = null;
        try {
            Stat now = folder.stat(path);
            if (now == null || !now.isFile() || now.size() < MIN_SIZE
                    || (long) FileDigest.chunkCount(now.size(), chunkSize) * algorithm.digestLength() != chunkHashes.length) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.wrap(new StampedDigest(path, stampOf(now), algorithm, chunkSize, chunkHashes).encode());
            String entry = entryOf(path, now.size());
            tmp = entry + TMP_SUFFIX;
            try (FdChannel ch = create(tmp)) {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
            }
            folder.rename(tmp, entry, true);
        } catch (IOException | RuntimeException e) {
            log.debug("held hashes not kept path={} reason={}", SafePaths.printable(path), e.toString());
            try {
                if (tmp != null) {
                    folder.deleteFile(tmp);
                }
            } catch (IOException ignored) {
                // a stray .tmp is never read; the next keep of this path replaces it
            }
        }
    }

    /**
     * Removes the entries that match no file any more (the file was replaced, changed, deleted or renamed since),
     * and temporary files older than {@code strayBefore} (left by a receiver that died while writing one). Returns
     * how many entries it removed.
     */
    int expire(Instant strayBefore) throws IOException {
        Stat dir = folder.stat(DIR);
        if (dir == null || !dir.isDirectory()) {
            return 0;
        }
        List<String> entries = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        folder.walk(DIR, (rel, stat, target) -> {
            if (rel.endsWith(SUFFIX)) {
                entries.add(rel);
            } else if (rel.endsWith(TMP_SUFFIX) && Instant.ofEpochSecond(stat.mtimeSeconds()).isBefore(strayBefore)) {
                strays.add(rel);
            }
            return false;
        });
        for (String stray : strays) {
            folder.deleteFile(stray);
        }
        int removed = 0;
        for (String entry : entries) {
            StampedDigest d = read(entry);
            Stat now = d == null ? null : statOrNull(d.key());
            if ((d == null || now == null || !now.isFile() || !stampOf(now).equals(d.stamp())) && folder.deleteFile(entry)) {
                removed++;
            }
        }
        return removed;
    }

    private Stat statOrNull(String path) {
        try {
            return folder.stat(path);
        } catch (IOException e) {
            return null; // a key that is no path beneath the folder any more: the entry goes
        }
    }

    private FdChannel create(String rel) throws IOException {
        try {
            return folder.openFile(rel, Beneath.Access.CREATE_EMPTY);
        } catch (NoSuchFileException e) {
            folder.mkdirs(DIR);
            return folder.openFile(rel, Beneath.Access.CREATE_EMPTY);
        }
    }

    static StampedDigest.Stamp stampOf(Stat s) {
        return new StampedDigest.Stamp(s.size(), s.mtimeSeconds() * 1_000_000_000L + s.mtimeNanos(),
                s.ctimeSeconds() * 1_000_000_000L + s.ctimeNanos(), s.inode(), s.device());
    }

    /**
     * The entry of {@code path} holding a file of {@code size} bytes, relative to the folder root: named
     * {@code <size>-<h>.digest} (the size: the entries of files of one size are told by their names alone).
     */
    static String entryOf(String path, long size) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return DIR + "/" + size + "-" + HexFormat.of().formatHex(ChunkDigester.of(HashAlgorithm.XXH3_128).digest(p, 0, p.length))
                + SUFFIX;
    }

    /** The entry at {@code rel} (relative to the root, in {@link #DIR}); null if it is not a whole, intact one. */
    StampedDigest readEntry(String rel) {
        try {
            return read(rel);
        } catch (IOException | RuntimeException e) {
            log.debug("held hashes entry unreadable entry={} reason={}", rel, e.toString());
            return null;
        }
    }

    /** Whether {@code rel}, a path in {@link #DIR}, names an entry (not a temporary file). */
    static boolean isEntry(String rel) {
        return rel.endsWith(SUFFIX);
    }
}
