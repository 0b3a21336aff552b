package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.FdChannel;
import dev.ferry.disk.Stat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;

/**
 * The partial file of one incoming file, in {@code <root>/.ferry/partial/} (opened beneath the root by the
 * folder's {@link Beneath}, like every file the receiver touches), and (for a resumable file) its
 * {@link PartialSidecar}, both named by {@link PartialPaths}. Chunks are written here at their offset; {@link #persist} forces the written bytes to
 * disk and only then records those chunks in the sidecar, so that a later attempt — after a dropped link, or a
 * crash of either side — finds exactly the chunks that are really on disk ({@link #resumable} files only; a file
 * of one chunk, or sent inline, is cheaper to send again). Owned by the session thread; {@link #persist} runs on
 * the session's {@link DurableAcks} thread while the session writes on, {@link #force} on a commit-group thread
 * while the session waits.
 */
final class PartialFile {
    private final PartialPaths paths;
    /** Records its durable chunks in a sidecar (see {@link #resumable}). */
    private final boolean resumable;
    private final boolean fsync;
    /**
     * The most one write hands the kernel. The page cache sizes the memory it takes for new data by the write (large
     * folios), and on this machine class (a VM that gives its free memory back to the host) big blocks of fresh
     * memory are slow to touch again: writing 512 MiB of new file data took 1.3-1.4 s in 1 MiB writes, 0.8-0.96 s in
     * 512 KiB, 0.31-0.35 s in 256 KiB and 0.15-0.17 s in 128 or 64 KiB writes (dd, each after 1 GiB of page cache
     * was freed 3 s before). Smaller pieces cost only system calls: 8 per chunk of 1 MiB.
     */
    static final int WRITE_PIECE_BYTES = 128 * 1024;

    private FdChannel channel;
    private PartialSidecar sidecar;
    /** Renamed into place by {@link #moveTo}: nothing is left to keep or discard. */
    private boolean installed;
    /** Written since the last {@link #takeNotDurable}: not in the sidecar yet. */
    private final BitSet notDurable = new BitSet();

    private PartialFile(PartialPaths paths, boolean resumable, boolean fsync) {
        this.paths = paths;
        this.resumable = resumable;
        this.fsync = fsync;
    }

    /**
     * A new partial file (any earlier one at this name is emptied, and an earlier sidecar replaced or removed).
     *
     * @param resumable start a sidecar for it
     */
    static PartialFile fresh(PartialPaths paths, boolean resumable, PartialSidecar.Version version, boolean fsync)
            throws IOException {
        PartialFile p = new PartialFile(paths, resumable, fsync);
        p.channel = paths.openData(Beneath.Access.CREATE_EMPTY);
        try {
            if (resumable) {
                p.sidecar = PartialSidecar.create(paths.openSidecar(Beneath.Access.CREATE_EMPTY), version);
                p.sidecar.sync(false);
            } else {
                paths.folder().deleteFile(paths.sidecar()); // an earlier version's: it does not describe this file
            }
        } catch (IOException | RuntimeException e) {
            p.closeQuietly();
            throw e;
        }
        return p;
    }

    /**
     * Continues an earlier attempt's partial file for a (possibly different) version: keeps the chunks in
     * {@code reused} (whose hashes, {@code hashes[i * digestLength]}, were checked against the new version by the
     * caller), cuts the file to the new size, and starts the sidecar again with just those chunks.
     */
    static PartialFile resume(PartialPaths paths, PartialSidecar.Version version, BitSet reused, byte[] hashes,
                              boolean fsync) throws IOException {
        PartialFile p = new PartialFile(paths, true, fsync);
        p.channel = paths.openData(Beneath.Access.WRITE);
        if (p.channel.size() > version.size()) {
            p.channel.truncate(version.size());
        }
        p.sidecar = PartialSidecar.create(paths.openSidecar(Beneath.Access.CREATE_EMPTY), version);
        int d = version.algorithm().digestLength();
        for (int i = reused.nextSetBit(0); i >= 0; i = reused.nextSetBit(i + 1)) {
            p.sidecar.chunk(i, hashes, i * d); // (their bytes were durable before the earlier sidecar named them)
        }
        p.sidecar.sync(fsync);
        return p;
    }

    /** Has a sidecar, even once closed: a commit that fails after {@link #close} (at the rename) keeps its chunks. */
    boolean resumable() {
        return resumable;
    }

    FileChannel channel() {
        return channel;
    }

    /**
     * Writes {@code data}'s remaining bytes at {@code position} (its own position is left alone), at most
     * {@link #WRITE_PIECE_BYTES} per system call.
     */
    void write(ByteBuffer data, long position) throws IOException {
        ByteBuffer bb = data.duplicate();
        int start = bb.position();
        int end = bb.limit();
        for (int from = start; from < end; ) {
            int to = Math.min(end, from + WRITE_PIECE_BYTES);
            bb.limit(to).position(from);
            while (bb.hasRemaining()) {
                channel.write(bb, position + (bb.position() - start));
            }
            from = to;
        }
    }

    /** Chunk {@code index} was written (or copied in) and is not yet durable. */
    void written(int index) {
        notDurable.set(index);
    }


    /**
     * Chunks written and not yet durable, with their hashes, to be made durable by {@link #persist}.
     *
     * @param fileId      the session's id of the file, for the ACKs that wait for this
     * @param printable   the path as logs and errors show it
     */
    record ChunksToPersist(int fileId, String printable, PartialFile file, int[] indices, byte[] hashes, int digestLength) {
    }

    /**
     * Takes the chunks written since the last call (session thread); {@code hashes} holds each chunk's hash as
     * computed from the bytes written. Null when there are none, or nothing is recorded for this file.
     */
    ChunksToPersist takeNotDurable(int fileId, String printable, byte[] hashes, int digestLength) {
        if (notDurable.isEmpty() || sidecar == null) {
            notDurable.clear();
            return null;
        }
        int[] indices = notDurable.stream().toArray();
        byte[] copy = new byte[indices.length * digestLength];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(hashes, indices[k] * digestLength, copy, k * digestLength, digestLength);
        }
        notDurable.clear();
        return new ChunksToPersist(fileId, printable, this, indices, copy, digestLength);
    }

    /**
     * Forces the written chunks of {@code pending} to disk (with durability on) and then records them in the
     * sidecar, forced too. May run on another thread than the session's ({@link DurableAcks}); the data written
     * meanwhile is not disturbed (a force covers at least what was written before it started).
     */
    synchronized void persist(List<ChunksToPersist> pending) throws IOException {
        if (channel == null) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (fsync) {
            channel.force(false);
        }
        for (ChunksToPersist p : pending) {
            for (int k = 0; k < p.indices().length; k++) {
                sidecar.chunk(p.indices()[k], p.hashes(), k * p.digestLength());
            }
        }
        sidecar.sync(fsync);
    }

    /**
     * The offer's mode (rwx bits only, see {@link FileMetadata#permissions}) and mtime, set through the open
     * descriptor where they differ (commit step 1, before the rename: no path is resolved again).
     *
     * @param now the partial file as {@link #stat} found it just before
     */
    void setModeAndMtime(Stat now, int mode, long mtimeSeconds, int mtimeNanos) throws IOException {
        if (now.mode() != FileMetadata.permissions(mode)) {
            channel.setMode(FileMetadata.permissions(mode));
        }
        if (now.mtimeSeconds() != mtimeSeconds || now.mtimeNanos() != mtimeNanos) {
            channel.setMtime(mtimeSeconds, mtimeNanos);
        }
    }

    long size() throws IOException {
        return channel.size();
    }

    /** The partial file's size, mode and mtime now. */
    Stat stat() throws IOException {
        return channel.stat();
    }

    /** Data and metadata to disk before the rename (commit step 2). */
    void force() throws IOException {
        if (fsync) {
            channel.force(true);
        }
    }

    PartialPaths paths() {
        return paths;
    }

    /** Closes the files, leaving them for a later attempt (or for the rename, {@link #moveTo}). */
    void close() {
        closeQuietly();
    }

    /**
     * Leaves the closed partial file ready for the next attempt. A commit that failed at the rename (permission,
     * full disk) had already given it the offer's mode and mtime: a mode without owner write would make every
     * later attempt fail to open it, and an old mtime would make {@link StalePartials} take it for abandoned.
     * Best effort: if this fails, the next attempt fails or starts afresh.
     */
    void keep(Instant now) {
        if (installed) {
            return;
        }
        try {
            paths.folder().setModeAndMtime(paths.data(), 0600, now.getEpochSecond(), now.getNano());
        } catch (IOException ignored) {
            // reported by the next attempt, if it matters
        }
    }

    /**
     * Commit, step 3 (after {@link #close}): renames the data file to {@code target} (relative to the root, its
     * parent existing) and drops the sidecar.
     */
    void moveTo(String target) throws IOException {
        paths.folder().rename(paths.data(), target, true);
        installed = true;
        dropSidecar();
    }

    /** Renamed into place: a later abort has nothing to keep or discard. */
    boolean installed() {
        return installed;
    }

    /**
     * After the rename: the sidecar has nothing left to describe. A file that is not {@link #resumable} has none
     * ({@link #fresh} removed an earlier one), so nothing is looked for: a small file's commit saves three calls.
     */
    private void dropSidecar() {
        if (!resumable) {
            return;
        }
        try {
            paths.folder().deleteFile(paths.sidecar());
        } catch (IOException ignored) {
            // a sidecar without its data file is ignored and cleaned with the stale partials
        }
    }

    /** Closes and deletes the partial file and its sidecar. */
    void discard() {
        closeQuietly();
        if (installed) {
            return;
        }
        try {
            paths.folder().deleteFile(paths.data());
        } catch (IOException ignored) {
            // best effort: a stale partial is emptied by the next attempt or cleaned after its maximum age
        }
        dropSidecar();
    }

    private synchronized void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing buffered in a FileChannel
        }
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } catch (IOException ignored) {
            // its records were written by sync(); an unsynced tail is cut on the next read
        }
        channel = null;
        sidecar = null;
    }
}
