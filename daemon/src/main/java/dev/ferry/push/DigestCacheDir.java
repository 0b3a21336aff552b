package dev.ferry.push;

import dev.ferry.disk.AtomicFile;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.StampedDigest;
import dev.ferry.hash.StampedDigest.Stamp;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DigestCache} in a folder: one small file per source file, named after a hash of its absolute path, written
 * whole to a temporary name and renamed (a reader sees the old entry or the new one), CRC32C-protected (a torn or
 * foreign file is ignored), not fsynced (an entry lost in a crash costs one re-read). At most {@code maxEntries} are
 * kept; the least recently written go first.
 *
 * <p>Each entry is a {@link StampedDigest} keyed by the absolute source path (its layout is described there).
 */
public final class DigestCacheDir implements DigestCache {
    private static final Logger log = LoggerFactory.getLogger(DigestCacheDir.class);
    private static final String SUFFIX = ".digest";
    private static final String TMP_SUFFIX = ".tmp";
    /** A temporary file this old was left by a push that died while writing it. */
    private static final Duration STRAY_AGE = Duration.ofHours(1);
    public static final int DEFAULT_MAX_ENTRIES = 128;
    /** Bounds what find reads; a 1 TiB file's list at the default chunking (1 MiB, XXH3) is 16 MiB. */
    private static final int MAX_ENTRY_BYTES = 64 << 20;

    private final Path dir;
    private final int maxEntries;
    private final InstantSource clock;

    public DigestCacheDir(Path dir, int maxEntries) {
        this(dir, maxEntries, FerryClock.system());
    }

    /** @param clock dates the temporary files left by dead pushes ({@link #STRAY_AGE}) */
    public DigestCacheDir(Path dir, int maxEntries, InstantSource clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries=" + maxEntries);
        }
        this.dir = dir;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public FileDigest find(Path file, Stamp stamp, HashAlgorithm algorithm, int chunkSize) {
        Path entry = entryOf(file);
        try {
            long size = Files.size(entry);
            if (size > MAX_ENTRY_BYTES) {
                return null;
            }
            StampedDigest e = StampedDigest.decode(ByteBuffer.wrap(Files.readAllBytes(entry)));
            return e == null ? null : e.digestFor(key(file), stamp, algorithm, chunkSize);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.debug("digest cache entry unreadable path={} entry={} reason={}", file, entry, e.toString());
            return null;
        }
    }

    @Override
    public void keep(Path file, Stamp stamp, FileDigest digest) {
        if (digest.size() != stamp.size()) {
            return;
        }
        Path entry = entryOf(file);
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, entry.getFileName().toString(), TMP_SUFFIX); // unique: two pushes may keep at once
            ByteBuffer bytes = ByteBuffer.wrap(new StampedDigest(key(file), stamp, digest.algorithm(), digest.chunkSize(),
                    digest.chunkHashes()).encode());
            AtomicFile.replace(entry, tmp, AtomicFile.Sync.NO_FSYNC, ch -> {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
            });
            prune();
        } catch (IOException | RuntimeException e) {
            log.debug("digest cache not written path={} dir={} reason={}", file, dir, e.toString());
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // a stray .tmp is ignored by find, and pruned once it is an hour old
            }
        }
    }

    @Override
    public void forget(Path file) {
        try {
            Files.deleteIfExists(entryOf(file));
        } catch (IOException e) {
            log.debug("digest cache entry not removed path={} reason={}", file, e.toString());
        }
    }

    private static String key(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    /** The file that holds (or would hold) the entry for {@code file}. */
    public Path entryOf(Path file) {
        byte[] k = key(file).getBytes(StandardCharsets.UTF_8);
        byte[] h = ChunkDigester.of(HashAlgorithm.XXH3_128).digest(k, 0, k.length);
        return dir.resolve(HexFormat.of().formatHex(h) + SUFFIX);
    }

    /** Entries beyond {@code maxEntries}, oldest first, are deleted, and temporary files left by dead pushes. */
    private void prune() throws IOException {
        List<Path> entries = new ArrayList<>();
        Instant strayBefore = clock.instant().minus(STRAY_AGE);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX)) {
                    entries.add(p);
                } else if (name.endsWith(TMP_SUFFIX) && modifiedBefore(p, strayBefore)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (entries.size() <= maxEntries) {
            return;
        }
        List<Map.Entry<Path, FileTime>> dated = new ArrayList<>();
        for (Path p : entries) {
            try {
                dated.add(Map.entry(p, Files.getLastModifiedTime(p)));
            } catch (NoSuchFileException e) {
                // removed meanwhile by another push
            }
        }
        dated.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        for (int i = 0; i < dated.size() - maxEntries; i++) {
            Files.deleteIfExists(dated.get(i).getKey());
        }
    }

    private static boolean modifiedBefore(Path p, Instant t) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(t);
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }
}
