package dev.ferry.receive;

import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One file being received: its expected chunk hashes, the partial file the chunks go into, and which chunks are
 * verified on disk. Owned by the session thread that received the OFFER.
 *
 * <p>Life: OFFER (+ HASHES) → {@link #plan} answers NEED (or {@link #planInline}: chunks come unasked) →
 * {@link #accept} each CHUNK → commit ({@link #verifyForCommit}, {@link #forceData}, {@link #install}). If the
 * final path already holds chunks with the offered hashes (same index), they are copied locally instead of being
 * sent; if it holds the whole file, nothing is sent and commit only applies mtime and mode. Chunks an earlier
 * attempt left verified in the partial file (see {@link PartialFile}) are reused the same way, for any version
 * whose chunk at that index has the same hash.
 */
final class IncomingFile {
    private final Frame.Offer offer;
    private final Path root;
    private final Path target;
    private final PartialPaths partialPaths;
    private final ChunkDigester digester;
    private final boolean fsync;
    /** Keep the version being replaced in the trash. */
    private final boolean trash;
    private final byte[] expected;
    private final byte[] actual;
    private final BitSet have;
    private final int chunkCount;
    private int hashesKnown;
    /** Streaming: the chunks whose hash has arrived (HASHES frames come one ahead of each chunk sent). */
    private final BitSet streamHashesKnown = new BitSet();
    /** Streamed offer answered with all chunks: hashes arrive one HASHES frame ahead of their chunks. */
    private boolean streaming;
    private boolean planned;
    private boolean identical;
    private PartialFile partial;
    private long reusedChunks;
    private long resumedChunks;
    private byte[] deferredCommit;
    /** Called during long local work (hashing the file at the final path) so that the sender hears from us. */
    private Heartbeat heartbeat = () -> {
    };

    /** Something to call now and then while busy; it rate-limits itself. */
    interface Heartbeat {
        void beat() throws IOException;
    }

    void heartbeat(Heartbeat h) {
        this.heartbeat = h;
    }

    /**
     * @param partialPaths where the partial file and its sidecar go
     * @param fsync       force chunks to disk before they are acknowledged, the file before the rename, and its directory
     */
    IncomingFile(Frame.Offer offer, Path root, Path target, PartialPaths partialPaths, ChunkDigester digester, boolean fsync,
                 boolean trash) {
        this.fsync = fsync;
        this.trash = trash;
        this.offer = offer;
        this.root = root;
        this.target = target;
        this.partialPaths = partialPaths;
        this.digester = digester;
        this.chunkCount = offer.chunkCount();
        int d = offer.algorithm().digestLength();
        this.expected = new byte[Math.multiplyExact(chunkCount, d)];
        this.actual = new byte[expected.length];
        this.have = new BitSet(chunkCount);
        System.arraycopy(offer.hashes(), 0, expected, 0, offer.hashes().length);
        this.hashesKnown = offer.hashesInFrame();
    }

    Frame.Offer offer() {
        return offer;
    }

    Path target() {
        return target;
    }

    boolean hashesComplete() {
        return hashesKnown == chunkCount;
    }

    /** True while the file waits for the rest of its hash list before its NEED can be computed. */
    boolean awaitingHashes() {
        return !planned && !streaming;
    }

    /**
     * First answer to a streamed OFFER: if nothing at the final path could be reused, prepare the partial file and
     * return all chunks (their hashes will come with them); otherwise return null, meaning "send the hashes first".
     */
    List<Frame.Range> startStreamed() throws FileFailure {
        try {
            BasicFileAttributes existing = existingRegularFile();
            if (existing != null && existing.size() > 0) {
                return null;
            }
            PartialSidecar.Contents earlier = resumable() ? PartialSidecar.read(partialPaths.sidecar()) : null;
            if (earlier != null && compatible(earlier) && !earlier.chunks().isEmpty()) {
                BitSet resumed = earlier.version().sameFileAs(version()) ? keptChunks(earlier, false) : new BitSet();
                if (resumed.isEmpty()) {
                    return null; // another version left chunks: get the hashes to see which still match
                }
                // the same file (size and mtime), interrupted: go on with the missing chunks at once; what the kept
                // ones hold is checked by the file hash that comes with COMMIT
                partial = PartialFile.resume(partialPaths, version(), resumed, actual, fsync);
                have.or(resumed);
                resumedChunks = resumed.cardinality();
            } else {
                partial = PartialFile.fresh(partialPaths, resumable(), version(), fsync);
            }
        } catch (IOException e) {
            throw FileFailure.of("cannot prepare '" + SafePaths.printable(offer.path()) + "'", e);
        }
        streaming = true;
        return missingRanges();
    }

    long reusedChunks() {
        return reusedChunks;
    }

    /** Chunks found verified in an earlier attempt's partial file. */
    long resumedChunks() {
        return resumedChunks;
    }

    boolean identical() {
        return identical;
    }

    void addHashes(Frame.Hashes h) throws FileFailure {
        if (streaming) { // one HASHES frame ahead of each chunk sent, in NEED order (gaps where chunks were resumed)
            if (h.algorithm() != offer.algorithm() || h.firstIndex() < 0 || h.firstIndex() + (long) h.count() > chunkCount) {
                throw new FileFailure(ErrorCode.PROTOCOL, "HASHES for chunks " + h.firstIndex() + ".." + (h.firstIndex() + h.count())
                        + " outside the file's " + chunkCount + " chunks");
            }
            int d = offer.algorithm().digestLength();
            System.arraycopy(h.hashes(), 0, expected, h.firstIndex() * d, h.hashes().length);
            streamHashesKnown.set(h.firstIndex(), h.firstIndex() + h.count());
            return;
        }
        if (h.algorithm() != offer.algorithm() || h.firstIndex() != hashesKnown || hashesKnown + (long) h.count() > chunkCount) {
            throw new FileFailure(ErrorCode.PROTOCOL, "HASHES for chunks " + h.firstIndex() + ".." + (h.firstIndex() + h.count())
                    + " do not continue the " + hashesKnown + " of " + chunkCount + " known");
        }
        System.arraycopy(h.hashes(), 0, expected, hashesKnown * offer.algorithm().digestLength(), h.hashes().length);
        hashesKnown += h.count();
    }

    /**
     * Called once every hash is known: checks the hash list against the offered file hash, looks at what the
     * final path holds, prepares the partial file and returns the chunk ranges still needed.
     */
    List<Frame.Range> plan() throws FileFailure {
        planned = true;
        if (!offer.streamed()) { // a streamed offer's file hash comes with COMMIT, and is checked there
            checkHashList();
        }
        try {
            BasicFileAttributes existing = existingRegularFile();
            BitSet reusable = existing == null || existing.size() == 0 ? new BitSet() : hashExisting();
            if (existing != null && existing.size() == offer.size() && reusable.cardinality() == chunkCount) {
                identical = true;
                Files.deleteIfExists(partialPaths.data()); // an earlier attempt's leftovers, if any, are of no use now
                Files.deleteIfExists(partialPaths.sidecar());
                return List.of();
            }
            BitSet resumed = resumable() ? keptChunks(PartialSidecar.read(partialPaths.sidecar()), true) : new BitSet();
            if (resumed.isEmpty()) {
                partial = PartialFile.fresh(partialPaths, resumable(), version(), fsync);
            } else {
                partial = PartialFile.resume(partialPaths, version(), resumed, actual, fsync);
                have.or(resumed);
                resumedChunks = resumed.cardinality();
            }
            reusable.andNot(have);
            if (!reusable.isEmpty()) {
                copyFromExisting(reusable);
            }
        } catch (IOException e) {
            throw FileFailure.of("cannot prepare '" + SafePaths.printable(offer.path()) + "'", e);
        }
        return missingRanges();
    }

    /**
     * An inline OFFER: checks the hash list; if the final path already holds this exact file, the chunks on their
     * way are acknowledged and dropped, else the partial file is prepared for them.
     */
    void planInline() throws FileFailure {
        planned = true;
        checkHashList();
        try {
            BasicFileAttributes existing = existingRegularFile();
            if (existing != null && existing.size() == offer.size() && hashExisting().cardinality() == chunkCount) {
                identical = true;
                return;
            }
            partial = PartialFile.fresh(partialPaths, false, version(), fsync);
        } catch (IOException e) {
            throw FileFailure.of("cannot prepare '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    private void checkHashList() throws FileFailure {
        byte[] listHash = FileDigest.fileHash(offer.algorithm(), offer.chunkSize(), offer.size(), expected);
        if (!Arrays.equals(listHash, offer.fileHash())) {
            throw new FileFailure(ErrorCode.HASH_MISMATCH, "chunk hash list does not match the offered file hash");
        }
    }

    /** Every chunk is verified and written (or the final path holds the file already). */
    boolean complete() {
        return identical || have.cardinality() == chunkCount;
    }

    /** An inline file's COMMIT that arrived while a refused chunk was being sent again; null if none. */
    byte[] deferredCommit() {
        return deferredCommit;
    }

    void deferCommit(byte[] fileHash) {
        deferredCommit = fileHash;
    }

    /**
     * Worth a sidecar: more than one chunk, and not inline. ACK then means "verified and durable in the partial
     * file"; for the others it means "verified and written", and DONE makes them durable.
     */
    boolean resumable() {
        return !offer.inline() && chunkCount > 1;
    }

    private PartialSidecar.Version version() {
        return new PartialSidecar.Version(offer.path(), offer.size(), offer.mtimeSeconds(), offer.mtimeNanos(),
                offer.chunkSize(), offer.algorithm());
    }

    private boolean compatible(PartialSidecar.Contents c) {
        PartialSidecar.Version v = c.version();
        return v.path().equals(offer.path()) && v.chunkSize() == offer.chunkSize() && v.algorithm() == offer.algorithm();
    }

    /**
     * The chunks an earlier attempt left verified in the partial file that this version wants at the same index
     * (same hash, same length, and the data file long enough to hold them); their hashes are copied to
     * {@code actual}.
     */
    /**
     * The chunks an earlier attempt left recorded in the sidecar that this offer can keep: at the same index, the
     * same length, and the partial file long enough to hold them; with {@code checkHashes}, also the hash this
     * offer lists for that index (without, the file hash at COMMIT checks them: the same file, streamed). Their
     * hashes are copied to {@code actual}.
     */
    private BitSet keptChunks(PartialSidecar.Contents earlier, boolean checkHashes) {
        BitSet found = new BitSet();
        long onDisk = PartialFile.sizeOnDisk(partialPaths.data());
        if (earlier == null || !compatible(earlier) || onDisk < 0) {
            return found;
        }
        int d = offer.algorithm().digestLength();
        for (var e : earlier.chunks().entrySet()) {
            int i = e.getKey();
            int len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
            boolean sameSpan = i < chunkCount && len == FileDigest.chunkLength(earlier.version().size(), offer.chunkSize(), i)
                    && (long) i * offer.chunkSize() + len <= onDisk;
            if (sameSpan && (!checkHashes || Arrays.equals(e.getValue(), 0, d, expected, i * d, i * d + d))) {
                System.arraycopy(e.getValue(), 0, actual, i * d, d);
                found.set(i);
            }
        }
        return found;
    }

    /** The file at the final path, if it is a regular file (not a symlink); null otherwise. */
    private BasicFileAttributes existingRegularFile() throws IOException, FileFailure {
        try {
            BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                throw new FileFailure(ErrorCode.BAD_PATH, "'" + SafePaths.printable(offer.path()) + "' is a directory on the receiver");
            }
            return a.isRegularFile() ? a : null;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    /** Hashes the final path's chunks at the offered chunking; returns the indices equal to the offer. */
    private BitSet hashExisting() throws IOException {
        int d = offer.algorithm().digestLength();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(offer.chunkSize(), offer.size())); // (heap: no cleaner per file)
        BitSet matches = new BitSet(chunkCount);
        try (FileChannel old = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long oldSize = old.size();
            for (int i = 0; i < chunkCount; i++) {
                int len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
                long pos = (long) i * offer.chunkSize();
                if (pos + len > oldSize) {
                    break;
                }
                FileHasher.readFully(old, buf, len, pos, target);
                digester.digest(buf, actual, i * d);
                heartbeat.beat();
                if (Arrays.equals(actual, i * d, i * d + d, expected, i * d, i * d + d)) {
                    matches.set(i);
                }
            }
        }
        return matches;
    }

    /** Copies the reusable chunks of the final path into the partial file and marks them present. */
    private void copyFromExisting(BitSet reusable) throws IOException {
        try (FileChannel old = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (int i = reusable.nextSetBit(0); i >= 0; i = reusable.nextSetBit(i + 1)) {
                long pos = (long) i * offer.chunkSize();
                long len = FileDigest.chunkLength(offer.size(), offer.chunkSize(), i);
                long done = 0;
                while (done < len) {
                    done += old.transferTo(pos + done, len - done, partial.channel().position(pos + done));
                }
                have.set(i);
                partial.written(i);
                reusedChunks++;
            }
        }
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

    /** Verifies and writes one chunk. Returns null when it is on disk (send ACK), else the NACK reason. */
    ErrorCode accept(Frame.Chunk c, CRC32C crc) throws FileFailure {
        int index = c.index();
        if (index >= chunkCount || (identical && !offer.inline())) {
            throw new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " but the file has " + chunkCount
                    + " chunks" + (identical ? " and needs none" : ""));
        }
        if (identical) {
            return null; // inline, and the final path holds the file already: drop it
        }
        if (streaming ? !streamHashesKnown.get(index) : awaitingHashes() || index >= hashesKnown) {
            throw new FileFailure(ErrorCode.PROTOCOL, "CHUNK index=" + index + " before its hash ("
                    + (streaming ? streamHashesKnown.cardinality() : hashesKnown) + " of "
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
        if (!Arrays.equals(actual, index * d, index * d + d, expected, index * d, index * d + d)) {
            return ErrorCode.HASH_MISMATCH;
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
    PartialFile.Pending takeNotDurable() {
        return partial == null ? null
                : partial.takeNotDurable(offer.fileId(), SafePaths.printable(offer.path()), actual, offer.algorithm().digestLength());
    }

    /** Forces the written chunks to disk and records them in the sidecar, on this thread. */
    void makeDurable() throws FileFailure {
        PartialFile.Pending p = takeNotDurable();
        if (p == null) {
            return;
        }
        try {
            partial.persist(List.of(p));
        } catch (IOException e) {
            throw DurableAcks.failure(p, e);
        }
    }

    /*
     * Commit runs in three steps so that a session can fsync a group of small files in parallel: one fsync at a
     * time costs ~1.5-3 ms here, 32 at once ~0.4 ms each.
     */

    /**
     * Commit, step 1 (session thread): every chunk present, the file hash recomputed from the hashes this receiver
     * computed itself and compared with the offered (or, streamed, the committed) one, mtime and mode applied.
     * Returns false when that was all (the final path already held this file).
     */
    boolean verifyForCommit(byte[] committedFileHash) throws FileFailure {
        byte[] expectedFileHash = offer.streamed() ? committedFileHash : offer.fileHash();
        if (offer.streamed() && committedFileHash.length != offer.algorithm().digestLength()) {
            throw new FileFailure(ErrorCode.PROTOCOL, "COMMIT of a streamed file needs its " + offer.algorithm().digestLength()
                    + "-byte file hash, got " + committedFileHash.length);
        }
        try {
            if (identical) {
                if (!Arrays.equals(expectedFileHash, FileDigest.fileHash(offer.algorithm(), offer.chunkSize(), offer.size(), expected))) {
                    throw new FileFailure(ErrorCode.HASH_MISMATCH, "chunk hash list does not match the committed file hash");
                }
                applyMetadata(target);
                return false;
            }
            if (have.cardinality() != chunkCount) {
                throw new FileFailure(ErrorCode.PROTOCOL, "COMMIT with " + have.cardinality() + " of " + chunkCount + " chunks received");
            }
            byte[] fileHash = FileDigest.fileHash(offer.algorithm(), offer.chunkSize(), offer.size(), actual);
            if (!Arrays.equals(fileHash, expectedFileHash) || partial.size() != offer.size()) {
                throw new FileFailure(ErrorCode.HASH_MISMATCH, "whole-file hash or size of '" + SafePaths.printable(offer.path())
                        + "' does not match the offer (size " + partial.size() + " of " + offer.size() + ")");
            }
            applyMetadata(partial.path());
            return true;
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    /** Commit, step 2 (any thread; a session runs a group of these in parallel): the data on disk. */
    void forceData() throws FileFailure {
        if (!fsync) {
            return;
        }
        try {
            partial.force();
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    /** Commit, step 3 (session thread): atomic rename into place. Returns the directory whose entry changed. */
    Path install() throws FileFailure {
        try {
            partial.close();
            SafePaths.createParents(root, target);
            if (trash) {
                Trash.keepCopy(root, target, java.time.Clock.systemDefaultZone());
            }
            Files.move(partial.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial.dropSidecar();
            partial = null;
            return target.getParent();
        } catch (BadPathException e) {
            throw new FileFailure(ErrorCode.BAD_PATH, e.getMessage());
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + SafePaths.printable(offer.path()) + "'", e);
        }
    }

    private void applyMetadata(Path path) throws IOException {
        applyMetadata(path, permissions(offer.mode()), FileTime.from(Instant.ofEpochSecond(offer.mtimeSeconds(), offer.mtimeNanos())));
    }

    /**
     * Sets mode and mtime where they differ, so that a file or directory already in sync is no failure on a
     * read-only target (nothing needed writing).
     */
    static void applyMetadata(Path path, Set<PosixFilePermission> mode, FileTime mtime) throws IOException {
        PosixFileAttributes now = Files.readAttributes(path, PosixFileAttributes.class);
        if (!now.permissions().equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
        if (!now.lastModifiedTime().equals(mtime)) {
            Files.setLastModifiedTime(path, mtime);
        }
    }

    /**
     * Ends this attempt without a commit. {@code keep}: a resumable file keeps its partial file and sidecar (what
     * was received is forced to disk and recorded first, best effort) so that the next attempt sends only the
     * rest; otherwise both are removed.
     */
    void abort(boolean keep) {
        if (partial == null) {
            return;
        }
        if (keep && partial.resumable()) {
            try {
                makeDurable();
            } catch (FileFailure e) {
                // the sidecar keeps what it had; the rest is sent again
            }
            partial.close();
            partial.keep();
        } else {
            partial.discard();
        }
        partial = null;
    }

    /**
     * The rwx bits of {@code mode}. setuid, setgid and sticky are dropped on purpose: a peer must not be able to
     * plant a setuid file on the receiver.
     */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << bit)) != 0) {
                s.add(order[bit]);
            }
        }
        return s;
    }
}
