package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.FdChannel;
import dev.ferry.disk.Stat;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks that partial files of other paths hold, as their sidecars record them: a file renamed while its
 * transfer was in flight (what {@code cp}, editors and download tools do: write {@code big.tmp}, rename it to
 * {@code big}) is offered again under its new name, and its chunks are taken from the old name's partial file
 * instead of being sent again. Read afresh for each offer that asks (partial files come and go with every
 * transfer), from at most {@value #MAX_SIDECARS} sidecars, the most recently written first, of at most
 * {@value #MAX_SIDECAR_BYTES} bytes each. A partial file of an earlier, shorter version (a download pushed while it
 * grew) gives the chunks the longer file starts with. A sidecar records only chunks whose bytes were durable, but the partial
 * file may be emptied for another version at any moment: every chunk taken is hashed again by {@link ChunkCopier}.
 * Stateless; the session's thread.
 */
final class OtherPartials {
    private static final Logger log = LoggerFactory.getLogger(OtherPartials.class);
    static final int MAX_SIDECARS = 64;
    static final long MAX_SIDECAR_BYTES = 4L << 20;

    /** A chunk of another path's partial file: chunk {@code index} of {@code data}, {@code length} bytes. */
    record Source(String data, int index, int length) {
    }

    /** How long a partial file's sidecar must have stood still to count as left behind, not in flight. */
    static final Duration QUIET = Duration.ofMillis(500);

    /** A partial file of another path: the version it is of, and when its sidecar was last written. */
    record Kept(String path, long size, Instant lastWritten) {
    }

    /** What the partial files of other paths hold, by chunk key ({@link ChunkIndex#key}), and what they are of. */
    record Found(Map<Long, Source> byKey, List<Kept> kept) {
        /**
         * Whether a file of {@code size} at {@code path} may share whole chunks with one of them: a version whose
         * size differs from it by whole chunks (a rename in flight of the same file), or a smaller one in the same
         * directory left behind (not written for {@link #QUIET}: not a transfer in flight), which a file that grew
         * since shares its first chunks with (a download written under a temporary name, renamed once complete).
         */
        boolean holdsLikely(String path, long size, int chunkSize, Instant now) {
            for (Kept k : kept) {
                if ((k.size() - size) % chunkSize == 0) {
                    return true;
                }
                if (k.size() >= chunkSize && k.size() < size && SafePaths.parent(k.path()).equals(SafePaths.parent(path))
                        && !k.lastWritten().isAfter(now.minus(QUIET))) {
                    return true;
                }
            }
            return false;
        }
    }

    private OtherPartials() {
    }

    /** The chunks other paths' partial files hold with this chunking ({@code own} left out). */
    static Found of(Beneath folder, PartialPaths own, HashAlgorithm algorithm, int chunkSize) {
        Map<Long, Source> byKey = new HashMap<>();
        List<Kept> kept = new ArrayList<>();
        try {
            Stat dir = folder.stat(PartialPaths.DIR);
            if (dir == null || !dir.isDirectory()) {
                return new Found(byKey, kept);
            }
            Map<String, Stat> sidecars = new HashMap<>();
            folder.walk(PartialPaths.DIR, (rel, stat, target) -> {
                if (stat.isFile() && PartialPaths.isSidecar(rel) && !rel.equals(own.sidecar()) && stat.size() <= MAX_SIDECAR_BYTES) {
                    sidecars.put(rel, stat);
                }
                return false;
            });
            List<String> newestFirst = sidecars.keySet().stream()
                    .sorted(Comparator.comparingLong((String rel) -> -(sidecars.get(rel).mtimeSeconds() * 1_000_000_000L
                            + sidecars.get(rel).mtimeNanos()))).limit(MAX_SIDECARS).toList();
            for (String rel : newestFirst) {
                PartialSidecar.Contents c = read(folder, rel);
                if (c == null || c.version().algorithm() != algorithm || c.version().chunkSize() != chunkSize || c.chunks().isEmpty()) {
                    continue;
                }
                String data = PartialPaths.ofSidecar(folder, rel.substring(PartialPaths.DIR.length() + 1)).data();
                Stat st = sidecars.get(rel);
                kept.add(new Kept(c.version().path(), c.version().size(), Instant.ofEpochSecond(st.mtimeSeconds(), st.mtimeNanos())));
                int count = FileDigest.chunkCount(c.version().size(), chunkSize);
                for (var e : c.chunks().entrySet()) {
                    if (e.getKey() < count) {
                        byKey.putIfAbsent(ChunkIndex.key(e.getValue(), 0),
                                new Source(data, e.getKey(), FileDigest.chunkLength(c.version().size(), chunkSize, e.getKey())));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("partial files of other paths not searched folder={}: {}", folder.root(), e.toString());
        }
        return new Found(byKey, kept);
    }

    private static PartialSidecar.Contents read(Beneath folder, String rel) throws IOException {
        try (FdChannel ch = folder.openFile(rel, Beneath.Access.READ)) {
            return PartialSidecar.read(ch);
        } catch (NoSuchFileException e) {
            return null; // its transfer ended meanwhile
        }
    }
}
