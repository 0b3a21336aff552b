package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.hash.StampedDigest;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the receiver already holds of an incoming file, so that it is not sent again: chunks of the file at the
 * final path (an older version, or this very file) with the offered hash at the same index, chunks an earlier
 * attempt left recorded in the partial file's sidecar, and chunks with the offered hash anywhere in another file
 * (held files, other paths' partial files). Hashes it computes go into the file's {@code actual} hashes.
 * Owned by the {@link IncomingFile} (its session's thread).
 */
final class LocalReuse {
    /** Called now and then during long local work, so that the sender hears from us; it rate-limits itself. */
    interface Heartbeat {
        void beat() throws IOException;
    }

    private final Frame.Offer offer;
    private final Beneath folder;
    /** The final path, relative to the root. */
    private final String target;
    private final PartialPaths partialPaths;
    private final ChunkDigester digester;
    private final ExpectedHashes expected;
    private final byte[] actual;
    private final Heartbeat heartbeat;
    private final ChunkIndex held;
    private final FerryClock clock;
    private final ChunkCopier copier;
    private OtherPartials.Found otherPartials; // null until looked for

    /** @param options its {@code held} index (null: no copy from other paths) and the receiver's clock */
    LocalReuse(Frame.Offer offer, Beneath folder, PartialPaths partialPaths, ChunkDigester digester, ExpectedHashes expected,
               byte[] actual, Heartbeat heartbeat, WriteOptions options) {
        this.offer = offer;
        this.folder = folder;
        this.target = offer.path();
        this.partialPaths = partialPaths;
        this.digester = digester;
        this.expected = expected;
        this.actual = actual;
        this.heartbeat = heartbeat;
        this.held = options.held();
        this.clock = options.clock();
        this.copier = new ChunkCopier(offer, digester, expected, actual, heartbeat);
    }

    /** The file at the final path, if it is a regular file (not a symlink); null otherwise. */
    Stat existingRegularFile() throws IOException, FileFailure {
        Stat a = folder.stat(target);
        if (a != null && a.isDirectory()) {
            throw new FileFailure(ErrorCode.BAD_PATH, "'" + SafePaths.printable(offer.path()) + "' is a directory on the receiver");
        }
        return a != null && a.isFile() ? a : null;
    }

    /**
     * The final path's chunks equal to the offer's at the same index: from the hashes {@link HeldHashes} kept of
     * this very file when there are, else by reading and hashing them at the offered chunking.
     *
     * @param existing the final path's stat ({@link #existingRegularFile})
     */
    BitSet hashFinalPath(Stat existing) throws IOException {
        FileDigest held = new HeldHashes(folder).find(target, existing, offer.algorithm(), offer.chunkSize());
        return held != null ? fromHeld(held) : readFinalPath();
    }

    /** The same from a list kept of the file: a chunk counts only if it has the same length in both versions. */
    private BitSet fromHeld(FileDigest held) {
        int d = offer.algorithm().digestLength();
        int heldCount = FileDigest.chunkCount(held.size(), held.chunkSize());
        BitSet matches = new BitSet(offer.chunkCount());
        for (int i = 0; i < Math.min(heldCount, offer.chunkCount()); i++) {
            if (FileDigest.chunkLength(held.size(), held.chunkSize(), i) == FileDigest.chunkLength(offer.size(), offer.chunkSize(), i)
                    && expected.matches(i, held.chunkHashes(), i * d)) {
                System.arraycopy(held.chunkHashes(), i * d, actual, i * d, d);
                matches.set(i);
            }
        }
        return matches;
    }

    private BitSet readFinalPath() throws IOException {
        int d = offer.algorithm().digestLength();
        int chunkCount = offer.chunkCount();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(offer.chunkSize(), offer.size())); // (heap: no cleaner per file)
        BitSet matches = new BitSet(chunkCount);
        try (FileChannel old = folder.openFile(target, Beneath.Access.READ)) {
            long oldSize = old.size();
            for (int i = 0; i < chunkCount; i++) {
                int len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
                long pos = (long) i * offer.chunkSize();
                if (pos + len > oldSize) {
                    break;
                }
                FileHasher.readFully(old, buf, len, pos, partialPaths.folder().root().resolve(target));
                digester.digest(buf, actual, i * d);
                heartbeat.beat();
                if (expected.matches(i, actual)) {
                    matches.set(i);
                }
            }
        }
        return matches;
    }

    /**
     * Copies the {@code reusable} chunks of the final path into the partial file, where they count as written; each
     * is hashed again as it is copied (the file may have changed since it was looked at), and one that no longer
     * matches is left out. Returns the chunks copied.
     */
    BitSet copyFromFinalPath(BitSet reusable, PartialFile partial) throws IOException {
        List<ChunkCopier.Pick> picks = new ArrayList<>();
        for (int i = reusable.nextSetBit(0); i >= 0; i = reusable.nextSetBit(i + 1)) {
            picks.add(new ChunkCopier.Pick(i, (long) i * offer.chunkSize()));
        }
        return copier.copy(folder, target, picks, partial);
    }

    /**
     * Copies into the partial file the {@code missing} chunks other files of the folder hold, at any index: held
     * files ({@link ChunkIndex}: a copy, a move, chunks reordered or shifted by whole chunks), then, for a file of
     * {@value HeldHashes#MIN_SIZE} bytes or more, other paths' partial files ({@link OtherPartials}: a file renamed
     * while its transfer was in flight). A held file is used only while its stamp is the one its hashes were kept
     * for, and every chunk is hashed again as it is copied ({@link ChunkCopier}). Returns the chunks copied; their
     * hashes are in {@code actual}.
     */
    BitSet copyFromOtherPaths(BitSet missing, PartialFile partial) throws IOException {
        BitSet copied = new BitSet();
        if (missing.isEmpty() || held == null) {
            return copied;
        }
        long[] keys = new long[offer.chunkCount()];
        int d = offer.algorithm().digestLength();
        byte[] hashes = expected.all();
        for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
            keys[i] = ChunkIndex.key(hashes, i * d);
        }
        Map<HeldFile, List<ChunkCopier.Pick>> fromHeld = new LinkedHashMap<>();
        held.find(folder, offer.algorithm(), offer.chunkSize(), keys, missing).forEach((i, src) -> {
            if (src.length() == FileDigest.chunkLength(offer.size(), offer.chunkSize(), i)) {
                fromHeld.computeIfAbsent(new HeldFile(src.path(), src.stamp()), k -> new ArrayList<>())
                        .add(new ChunkCopier.Pick(i, (long) src.index() * offer.chunkSize()));
            }
        });
        for (var e : fromHeld.entrySet()) {
            HeldFile file = e.getKey();
            if (!file.stillThere(folder)) {
                held.forget(file.path(), file.stamp()); // changed since its hashes were kept
                continue;
            }
            copied.or(copier.copy(folder, file.path(), e.getValue(), partial));
        }
        BitSet left = (BitSet) missing.clone();
        left.andNot(copied);
        if (left.isEmpty() || offer.size() < HeldHashes.MIN_SIZE) {
            return copied;
        }
        Map<String, List<ChunkCopier.Pick>> fromPartials = new LinkedHashMap<>();
        for (int i = left.nextSetBit(0); i >= 0; i = left.nextSetBit(i + 1)) {
            OtherPartials.Source src = otherPartials().byKey().get(keys[i]);
            if (src != null && src.length() == FileDigest.chunkLength(offer.size(), offer.chunkSize(), i)) {
                fromPartials.computeIfAbsent(src.data(), k -> new ArrayList<>())
                        .add(new ChunkCopier.Pick(i, (long) src.index() * offer.chunkSize()));
            }
        }
        for (var e : fromPartials.entrySet()) {
            copied.or(copier.copy(folder, e.getKey(), e.getValue(), partial));
        }
        return copied;
    }

    /**
     * Whether another file may hold chunks of this (streamed) offer, so that its hash list is worth waiting for: a
     * held file, or another path's partial file, whose size differs from the offered one by whole chunks (the same
     * size: a copy, a move, a rename in flight; or chunks added or taken out whole), or a smaller partial file left
     * behind in the same directory (see {@link OtherPartials.Found#holdsLikely}). A file unlike any other then
     * starts at once.
     */
    boolean othersMayHold() {
        if (held == null) {
            return false;
        }
        return held.holdsSizeLike(folder, offer.algorithm(), offer.chunkSize(), offer.size())
                || otherPartials().holdsLikely(offer.path(), offer.size(), offer.chunkSize(), clock.instant());
    }

    /** A held file in the state its kept hashes describe. */
    private record HeldFile(String path, StampedDigest.Stamp stamp) {
        boolean stillThere(Beneath folder) {
            try {
                Stat now = folder.stat(path);
                return now != null && now.isFile() && HeldHashes.stampOf(now).equals(stamp);
            } catch (IOException e) {
                return false;
            }
        }
    }

    private OtherPartials.Found otherPartials() {
        if (otherPartials == null) {
            otherPartials = OtherPartials.of(folder, partialPaths, offer.algorithm(), offer.chunkSize());
        }
        return otherPartials;
    }

    /** The earlier attempt's sidecar names the same path, chunking and hash: its chunks may be reused. */
    boolean compatible(PartialSidecar.Contents c) {
        PartialSidecar.Version v = c.version();
        return v.path().equals(offer.path()) && v.chunkSize() == offer.chunkSize() && v.algorithm() == offer.algorithm();
    }

    /**
     * The chunks an earlier attempt left recorded in the sidecar that this offer can keep: at the same index, the
     * same length, and the partial file long enough to hold them; with {@code checkHashes}, also the hash this
     * offer lists for that index (without, the file hash at COMMIT checks them: the same file, streamed). Their
     * hashes are copied to {@code actual}.
     */
    BitSet keptChunks(PartialSidecar.Contents earlier, boolean checkHashes) {
        BitSet found = new BitSet();
        long onDisk = partialPaths.dataSize();
        if (earlier == null || !compatible(earlier) || onDisk < 0) {
            return found;
        }
        int d = offer.algorithm().digestLength();
        for (var e : earlier.chunks().entrySet()) {
            int i = e.getKey();
            int len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
            boolean sameSpan = i < offer.chunkCount() && len == FileDigest.chunkLength(earlier.version().size(), offer.chunkSize(), i)
                    && (long) i * offer.chunkSize() + len <= onDisk;
            if (sameSpan && (!checkHashes || expected.matches(i, e.getValue(), 0))) {
                System.arraycopy(e.getValue(), 0, actual, i * d, d);
                found.set(i);
            }
        }
        return found;
    }
}
