package dev.ferry.receive;

import dev.ferry.wire.Frame;
import java.io.IOException;
import dev.ferry.disk.Stat;
import java.util.BitSet;

/**
 * The first answer to an OFFER, for each {@link Delivery} mode: what the receiver already holds of the file (the
 * final path, an earlier attempt's partial file, by {@link LocalReuse}) and the partial file prepared for the rest.
 * Runs on the session's thread for the {@link IncomingFile} of that offer, which takes over what it returns.
 */
final class FileStart {
    /**
     * What an incoming file starts with.
     *
     * @param partial      the partial file prepared for the chunks; null when the final path holds the file already
     * @param resumed      chunks an earlier attempt left durable in the partial file
     * @param fromFinalPath chunks the final path holds that the partial file does not: to be copied over
     */
    record Started(Delivery delivery, PartialFile partial, BitSet resumed, BitSet fromFinalPath) {
        static Started unchanged(boolean inline) {
            return new Started(new Delivery.Unchanged(inline), null, new BitSet(), new BitSet());
        }
    }

    private final Frame.Offer offer;
    private final PartialPaths paths;
    private final boolean fsync;
    private final LocalReuse reuse;
    /** The file's computed chunk hashes, into which resumed chunks' recorded hashes are copied. */
    private final byte[] actual;
    private final boolean resumable;

    FileStart(Frame.Offer offer, PartialPaths paths, boolean fsync, LocalReuse reuse, byte[] actual, boolean resumable) {
        this.offer = offer;
        this.paths = paths;
        this.fsync = fsync;
        this.reuse = reuse;
        this.actual = actual;
        this.resumable = resumable;
    }

    /**
     * A streamed OFFER: if nothing at the final path could be reused, the partial file, fresh or (the same file,
     * interrupted) resumed; null if the hashes must come first, to see which chunks of the final path or of
     * another version's partial file still match.
     */
    Started streamed() throws IOException, FileFailure {
        Stat existing = reuse.existingRegularFile();
        if (existing != null && existing.size() > 0) {
            return null;
        }
        PartialSidecar.Contents earlier = resumable ? paths.readSidecar() : null;
        if (earlier != null && reuse.compatible(earlier) && !earlier.chunks().isEmpty()) {
            BitSet resumed = earlier.version().sameFileAs(version()) ? reuse.keptChunks(earlier, false) : new BitSet();
            if (resumed.isEmpty()) {
                return null; // another version left chunks: get the hashes to see which still match
            }
            // the same file (size and mtime), interrupted: go on with the missing chunks at once; what the kept
            // ones hold is checked by the file hash that comes with COMMIT
            return new Started(new Delivery.Streaming(), PartialFile.resume(paths, version(), resumed, actual, fsync), resumed,
                    new BitSet());
        }
        if (reuse.othersMayHold()) {
            return null; // another file may share whole chunks with this one (a copy, a move, a rename in flight)
        }
        return new Started(new Delivery.Streaming(), PartialFile.fresh(paths, resumable, version(), fsync), new BitSet(),
                new BitSet());
    }

    /** The whole hash list is known: the final path's matching chunks, an earlier attempt's, and a partial file. */
    Started listed() throws IOException, FileFailure {
        Stat existing = reuse.existingRegularFile();
        BitSet reusable = existing == null || existing.size() == 0 ? new BitSet() : reuse.hashFinalPath(existing);
        if (existing != null && existing.size() == offer.size() && reusable.cardinality() == offer.chunkCount()) {
            paths.delete(); // an earlier attempt's leftovers, if any, are of no use now
            return Started.unchanged(false);
        }
        BitSet resumed = resumable ? reuse.keptChunks(paths.readSidecar(), true) : new BitSet();
        PartialFile partial = resumed.isEmpty() ? PartialFile.fresh(paths, resumable, version(), fsync)
                : PartialFile.resume(paths, version(), resumed, actual, fsync);
        reusable.andNot(resumed);
        return new Started(new Delivery.Needed(), partial, resumed, reusable);
    }

    /** An inline OFFER: unchanged if the final path holds this exact file, else a fresh partial file (no sidecar). */
    Started inline() throws IOException, FileFailure {
        Stat existing = reuse.existingRegularFile();
        if (existing != null && existing.size() == offer.size() && reuse.hashFinalPath(existing).cardinality() == offer.chunkCount()) {
            return Started.unchanged(true);
        }
        return new Started(new Delivery.Inline(null), PartialFile.fresh(paths, false, version(), fsync), new BitSet(), new BitSet());
    }

    private PartialSidecar.Version version() {
        return new PartialSidecar.Version(offer.path(), offer.size(), offer.mtimeSeconds(), offer.mtimeNanos(),
                offer.chunkSize(), offer.algorithm());
    }
}
