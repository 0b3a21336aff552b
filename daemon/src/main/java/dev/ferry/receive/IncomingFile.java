package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One file being received: the partial file the chunks go into and which chunks are verified on disk, with its
 * {@link ExpectedHashes}, its {@link Delivery} mode, and how it started ({@link FileStart}: what it could take
 * from {@link LocalReuse}). Owned by the session thread that received the OFFER.
 *
 * <p>Life: OFFER (+ HASHES) → {@link #plan} answers NEED (or {@link #startStreamed}, or {@link #planInline}: chunks
 * come unasked) → {@link #accept} each CHUNK → {@link #commit}, whose {@link CommitStep} says what is left to do. If
 * the final path already holds chunks with the offered hashes (same index), or another file does (any index: see
 * {@link LocalReuse}), they are copied locally instead of being sent; if it holds the whole file, nothing is sent and commit only applies mtime and mode. Chunks an earlier
 * attempt left verified in the partial file (see {@link PartialFile}) are reused the same way, for any version
 * whose chunk at that index has the same hash.
 */
final class IncomingFile {
    private final Frame.Offer offer;
    private final Beneath folder;
    /** The final path under the root: what {@link PathLocks} lock (never used to reach the file). */
    private final Path target;
    private final ChunkDigester digester;
    private final WriteOptions options;
    private final ExpectedHashes expected;
    /** The hash of each chunk as this receiver computed it from the bytes it holds. */
    private final byte[] actual;
    private final BitSet have;
    private final int chunkCount;
    private final LocalReuse reuse;
    private final FileStart start;
    private Delivery delivery = new Delivery.AwaitingHashes();
    private PartialFile partial;
    private long reusedChunks;
    private long resumedChunks;
    /** The file hash the committed content has: the offered one, or (streamed) the one COMMIT brought. */
    private byte[] committedHash;
    /** The key its SHARE gave; null if not shared. */
    private byte[] shareKey;
    /** Open to joined streams once its partial file exists; null if not (or no longer). */
    private SharedFile shared;

    IncomingFile(Frame.Offer offer, Beneath folder, Path target, ChunkDigester digester, WriteOptions options,
                 LocalReuse.Heartbeat heartbeat) {
        this.offer = offer;
        this.folder = folder;
        this.target = target;
        this.digester = digester;
        this.options = options;
        this.chunkCount = offer.chunkCount();
        this.expected = new ExpectedHashes(offer);
        this.actual = new byte[Math.multiplyExact(chunkCount, offer.algorithm().digestLength())];
        this.have = new BitSet(chunkCount);
        PartialPaths partialPaths = PartialPaths.of(folder, offer.path());
        this.reuse = new LocalReuse(offer, folder, partialPaths, digester, expected, actual, heartbeat, options);
        this.start = new FileStart(offer, partialPaths, options.fsync(), reuse, actual, resumable());
        this.committedHash = offer.fileHash();
    }

    Frame.Offer offer() {
        return offer;
    }

    Path target() {
        return target;
    }

    boolean hashesComplete() {
        return expected.complete();
    }

    /** True while the file waits for the rest of its hash list before its NEED can be computed. */
    boolean awaitingHashes() {
        return delivery instanceof Delivery.AwaitingHashes;
    }

    long reusedChunks() {
        return reusedChunks;
    }

    /** Chunks found verified in an earlier attempt's partial file. */
    long resumedChunks() {
        return resumedChunks;
    }

    /** The final path held this exact file: nothing was written. */
    boolean unchanged() {
        return delivery instanceof Delivery.Unchanged;
    }

    /** The file hash of what was committed (streamed: the one COMMIT brought). */
    byte[] committedHash() {
        return committedHash;
    }

    /**
     * First answer to a streamed OFFER: if nothing at the final path could be reused, prepare the partial file and
     * return all chunks still missing (their hashes will come with them); otherwise return null, meaning "send the
     * hashes first".
     */
    List<Frame.Range> startStreamed() throws FileFailure {
        FileStart.Started started = prepare(FileStart::streamed);
        if (started == null) {
            return null;
        }
        adopt(started);
        return missingRanges();
    }

    void addHashes(Frame.Hashes h) throws FileFailure {
        if (delivery instanceof Delivery.Streaming) {
            expected.addAhead(h);
        } else {
            expected.append(h);
        }
    }

    /**
     * Called once every hash is known: checks the hash list against the offered file hash, looks at what the
     * final path holds, prepares the partial file and returns the chunk ranges still needed.
     */
    List<Frame.Range> plan() throws FileFailure {
        delivery = new Delivery.Needed();
        if (!offer.streamed()) { // a streamed offer's file hash comes with COMMIT, and is checked there
            expected.checkAgainstOffer();
        }
        adopt(prepare(FileStart::listed));
        return delivery instanceof Delivery.Unchanged ? List.of() : missingRanges();
    }

    /**
     * An inline OFFER: checks the hash list; if the final path already holds this exact file, the chunks on their
     * way are acknowledged and dropped, else the partial file is prepared for them.
     */
    void planInline() throws FileFailure {
        delivery = new Delivery.Inline(null);
        expected.checkAgainstOffer();
        adopt(prepare(FileStart::inline));
    }

    private interface Preparation {
        FileStart.Started run(FileStart start) throws IOException, FileFailure;
    }

    private FileStart.Started prepare(Preparation how) throws FileFailure {
        try {
            return how.run(start);
        } catch (IOException e) {
            throw FileFailure.of("cannot prepare '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    /** Takes over the start: its mode, partial file and resumed chunks; then copies what the final path holds. */
    private void adopt(FileStart.Started started) throws FileFailure {
        delivery = started.delivery();
        partial = started.partial();
        have.or(started.resumed());
        resumedChunks = started.resumed().cardinality();
        BitSet copy = new BitSet();
        try {
            if (!started.fromFinalPath().isEmpty()) {
                copy.or(reuse.copyFromFinalPath(started.fromFinalPath(), partial));
                have.or(copy);
            }
            if (delivery instanceof Delivery.Needed && chunkCount > 1) { // (a one-chunk file: too small to look for)
                BitSet missing = new BitSet(chunkCount);
                missing.set(0, chunkCount);
                missing.andNot(have);
                BitSet fromOthers = reuse.copyFromOtherPaths(missing, partial);
                have.or(fromOthers);
                copy.or(fromOthers);
            }
        } catch (IOException e) {
            throw FileFailure.of("cannot prepare '" + SafePaths.printable(offer.path()) + "'", e);
        }
        reusedChunks += copy.cardinality();
    }

    /** Bytes of the file held verified now: written, copied from the final path, or resumed from a partial file. */
    long bytesHeld() {
        if (delivery instanceof Delivery.Unchanged) {
            return offer.size();
        }
        long held = (long) have.cardinality() * offer.chunkSize();
        if (chunkCount > 0 && have.get(chunkCount - 1)) { // the last chunk may be short
            held -= offer.chunkSize() - FileDigest.chunkLength(offer.size(), offer.chunkSize(), chunkCount - 1);
        }
        return held;
    }

    /** Every chunk is verified and written (or the final path holds the file already). */
    boolean complete() {
        return delivery instanceof Delivery.Unchanged || have.cardinality() == chunkCount;
    }

    /**
     * Worth a sidecar: more than one chunk, and not inline. ACK then means "verified and durable in the partial
     * file"; for the others it means "verified and written", and DONE makes them durable.
     */
    boolean resumable() {
        return !offer.inline() && chunkCount > 1;
    }

    private List<Frame.Range> missingRanges() {
        List<Frame.Range> ranges = new ArrayList<>();
        int i = have.nextClearBit(0);
        while (i < chunkCount) {
            int end = Math.min(have.nextSetBit(i) < 0 ? chunkCount : have.nextSetBit(i), chunkCount);
            ranges.add(new Frame.Range(i, end - i));
            i = have.nextClearBit(end);
        }
        return ranges;
    }

    /** SHARE: once its partial file exists ({@link #openToJoins}), other connections may write chunks into it. */
    void shareWith(byte[] key) {
        this.shareKey = key;
    }

    /**
     * Before its NEED goes out: a shared file whose partial file exists is opened to JOINs from {@code peer} (an
     * unshared file, one that needs nothing, or a path another session shares already, is not).
     */
    void openToJoins(SharedFiles registry, String folderName, String peer, HashBudget budget) {
        if (shareKey != null && shared == null && partial != null
                && (delivery instanceof Delivery.Needed || delivery instanceof Delivery.Streaming)) {
            shared = SharedFile.open(registry, budget, folderName, peer, shareKey, offer, partial, have);
        }
    }

    /** Joined streams write no more, and what they wrote counts as this file's own (commit, or the end). */
    private void closeToJoins() {
        if (shared == null) {
            return;
        }
        SharedFile.Joined joined = shared.close();
        shared = null;
        int d = offer.algorithm().digestLength();
        for (int i = joined.indices().nextSetBit(0); i >= 0; i = joined.indices().nextSetBit(i + 1)) {
            System.arraycopy(joined.hashes(), i * d, actual, i * d, d);
            have.set(i);
        }
    }

    /** Verifies and writes one chunk. Returns null when it is on disk (send ACK), else the NACK reason. */
    ErrorCode accept(Frame.Chunk c, CRC32C crc) throws FileFailure {
        int index = c.index();
        boolean unchanged = delivery instanceof Delivery.Unchanged;
        if (index >= chunkCount || delivery instanceof Delivery.Unchanged u && !u.inline()) {
            throw new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " but the file has " + chunkCount
                    + " chunks" + (unchanged ? " and needs none" : ""));
        }
        boolean hashKnown = switch (delivery) {
            case Delivery.Unchanged _ -> true; // inline, and the final path holds the file already: dropped below
            case Delivery.AwaitingHashes _ -> false;
            case Delivery.Streaming _ -> expected.knownAhead(index);
            case Delivery.Needed _, Delivery.Inline _ -> expected.knownInOrder(index);
        };
        if (unchanged) {
            return null;
        }
        if (!hashKnown) {
            throw new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " before its hash ("
                    + (delivery instanceof Delivery.Streaming ? expected.knownAhead() : expected.knownInOrder()) + " of "
                    + chunkCount + " hashes known)");
        }
        int expectedLength = FileDigest.chunkLength(offer.size(), offer.chunkSize(), index);
        if (c.length() != expectedLength) {
            throw new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " length=" + c.length() + ", expected " + expectedLength);
        }
        if (have.get(index)) {
            return null; // a re-send of a chunk already on disk: acknowledge again
        }
        crc.reset();
        crc.update(c.data().duplicate());
        if ((int) crc.getValue() != c.crc32c()) {
            return ErrorCode.CRC_MISMATCH;
        }
        int d = offer.algorithm().digestLength();
        digester.digest(c.data(), actual, index * d);
        if (!expected.matches(index, actual)) {
            return ErrorCode.HASH_MISMATCH;
        }
        if (shared != null && !shared.claimForOwner(index)) {
            return null; // a joined stream wrote it (its hash is taken over at the commit)
        }
        try {
            partial.write(c.data(), (long) index * offer.chunkSize());
        } catch (IOException e) {
            throw FileFailure.of("cannot write '" + SafePaths.printable(offer.path()) + "'", e);
        }
        have.set(index);
        partial.written(index);
        return null;
    }

    /** The chunks written since the last call, for {@link DurableAcks} (a resumable file's ACK waits for them). */
    PartialFile.ChunksToPersist takeNotDurable() {
        return partial == null ? null
                : partial.takeNotDurable(offer.fileId(), SafePaths.printable(offer.path()), actual, offer.algorithm().digestLength());
    }

    /**
     * Commit, step 1 (session thread): every chunk present, the file hash recomputed from the hashes this receiver
     * computed itself and compared with the offered (or, streamed, the committed) one, mtime and mode applied.
     * Steps 2 and 3 are the {@link VerifiedFile}'s. An inline file still missing a chunk sent again keeps the
     * commit for {@link #commitIfWaiting}.
     */
    CommitStep commit(byte[] fileHash) throws FileFailure {
        closeToJoins();
        if (delivery instanceof Delivery.Inline && !complete()) {
            delivery = new Delivery.Inline(fileHash); // an inline chunk was refused and is being sent again
            return new CommitStep.Waiting();
        }
        byte[] expectedFileHash = offer.streamed() ? fileHash : offer.fileHash();
        if (offer.streamed() && fileHash.length != offer.algorithm().digestLength()) {
            throw new FileFailure(ErrorCode.PROTOCOL, "COMMIT of a streamed file needs its " + offer.algorithm().digestLength()
                    + "-byte file hash, got " + fileHash.length);
        }
        committedHash = expectedFileHash;
        try {
            if (delivery instanceof Delivery.Unchanged) {
                if (!Arrays.equals(expectedFileHash, expected.fileHash())) {
                    throw new FileFailure(ErrorCode.HASH_MISMATCH, "chunk hash list does not match the committed file hash");
                }
                FileMetadata.apply(folder, offer.path(), offer.mode(), offer.mtimeSeconds(), offer.mtimeNanos());
                if (offer.size() >= HeldHashes.MIN_SIZE) { // (its ctime moved: the entry is made again)
                    new HeldHashes(folder).keep(offer.path(), offer.algorithm(), offer.chunkSize(), actual);
                }
                return new CommitStep.Unchanged();
            }
            if (have.cardinality() != chunkCount) {
                throw new FileFailure(ErrorCode.PROTOCOL, "COMMIT with " + have.cardinality() + " of " + chunkCount + " chunks received");
            }
            byte[] computed = FileDigest.fileHash(offer.algorithm(), offer.chunkSize(), offer.size(), actual);
            Stat onDisk = partial.stat(); // (one statx for the size check and the metadata)
            if (!Arrays.equals(computed, expectedFileHash) || onDisk.size() != offer.size()) {
                throw new FileFailure(ErrorCode.HASH_MISMATCH, "whole-file hash or size of '" + SafePaths.printable(offer.path())
                        + "' does not match the offer (size " + onDisk.size() + " of " + offer.size() + ")");
            }
            partial.setModeAndMtime(onDisk, offer.mode(), offer.mtimeSeconds(), offer.mtimeNanos());
            FileDigest held = offer.size() >= HeldHashes.MIN_SIZE
                    ? new FileDigest(offer.algorithm(), offer.chunkSize(), offer.size(), actual, computed) : null;
            return new CommitStep.Verified(new VerifiedFile(offer.fileId(), SafePaths.printable(offer.path()), partial, folder,
                    offer.path(), options.fsync(), options.trashClock(), held));
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    /** After a chunk was accepted: the commit an inline file kept, now that every chunk is in; null if none waits. */
    CommitStep commitIfWaiting() throws FileFailure {
        if (delivery instanceof Delivery.Inline(byte[] waiting) && waiting != null && complete()) {
            return commit(waiting);
        }
        return null;
    }

    /**
     * Ends this attempt without a commit. {@code keep}: a resumable file keeps its partial file and sidecar (what
     * was received is forced to disk and recorded first, best effort) so that the next attempt sends only the
     * rest; otherwise both are removed.
     */
    void abort(boolean keep) {
        closeToJoins();
        if (partial == null || partial.installed()) {
            return;
        }
        if (keep && partial.resumable()) {
            PartialFile.ChunksToPersist p = takeNotDurable();
            try {
                if (p != null) {
                    partial.persist(List.of(p));
                }
            } catch (IOException e) {
                // the sidecar keeps what it had; the rest is sent again
            }
            partial.close();
            partial.keep(options.clock().instant());
        } else {
            partial.discard();
        }
        partial = null;
    }
}
