package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.BitSet;
import java.util.List;

/**
 * What the receiver already holds of an incoming file, so that it is not sent again: chunks of the file at the
 * final path (an older version, or this very file) with the offered hash at the same index, and chunks an earlier
 * attempt left recorded in the partial file's sidecar. Hashes it computes go into the file's {@code actual} hashes.
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
    private List<HeldHashes.Held> othersOfThisSize; // null until looked for

    LocalReuse(Frame.Offer offer, Beneath folder, PartialPaths partialPaths, ChunkDigester digester, ExpectedHashes expected,
               byte[] actual, Heartbeat heartbeat) {
        this.offer = offer;
        this.folder = folder;
        this.target = offer.path();
        this.partialPaths = partialPaths;
        this.digester = digester;
        this.expected = expected;
        this.actual = actual;
        this.heartbeat = heartbeat;
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

    /** Copies the {@code reusable} chunks of the final path into the partial file, where they count as written. */
    void copyFromFinalPath(BitSet reusable, PartialFile partial) throws IOException {
        copyChunks(target, reusable, partial);
    }

    /** Copies chunks {@code reusable} of the file at {@code from} (same chunking, same offsets) into the partial file. */
    private void copyChunks(String from, BitSet reusable, PartialFile partial) throws IOException {
        try (FileChannel old = folder.openFile(from, Beneath.Access.READ)) {
            for (int i = reusable.nextSetBit(0); i >= 0; i = reusable.nextSetBit(i + 1)) {
                long pos = (long) i * offer.chunkSize();
                long len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
                long done = 0;
                while (done < len) {
                    done += old.transferTo(pos + done, len - done, partial.channel().position(pos + done));
                }
                partial.written(i);
            }
        }
    }

    /**
     * Copies into the partial file the {@code missing} chunks another file of the folder holds: a file of the same
     * size whose kept hashes ({@link HeldHashes}) still describe it and list the offered hash at the same index (a
     * copy or a move of a file the receiver already has). A source file that changed while it was copied gives
     * nothing. Returns the chunks copied; their hashes are in {@code actual}.
     */
    BitSet copyFromOtherPaths(BitSet missing, PartialFile partial) throws IOException {
        BitSet copied = new BitSet();
        if (missing.isEmpty()) {
            return copied;
        }
        HeldHashes heldHashes = new HeldHashes(folder);
        int d = offer.algorithm().digestLength();
        for (HeldHashes.Held other : othersOfThisSize()) {
            BitSet here = new BitSet();
            byte[] hashes = other.digest().chunkHashes();
            for (int i = missing.nextSetBit(0); i >= 0; i = missing.nextSetBit(i + 1)) {
                if (!copied.get(i) && expected.matches(i, hashes, i * d)) {
                    here.set(i);
                }
            }
            if (here.isEmpty()) {
                continue;
            }
            copyChunks(other.path(), here, partial);
            if (heldHashes.stillHeld(other)) { // else it changed meanwhile: what was copied may be a mix
                for (int i = here.nextSetBit(0); i >= 0; i = here.nextSetBit(i + 1)) {
                    System.arraycopy(hashes, i * d, actual, i * d, d);
                }
                copied.or(here);
            }
            if (copied.cardinality() == missing.cardinality()) {
                break;
            }
        }
        return copied;
    }

    /**
     * The other files of the offered size whose kept hashes still describe them (looked for once per offer: the
     * streamed answer asks, and the copy uses the same list; each is checked again after its chunks are copied).
     */
    List<HeldHashes.Held> othersOfThisSize() {
        if (othersOfThisSize == null) {
            othersOfThisSize = new HeldHashes(folder).ofSize(offer.size(), offer.algorithm(), offer.chunkSize(), target);
        }
        return othersOfThisSize;
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
