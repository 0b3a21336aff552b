package dev.ferry.receive;

import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A file in flight that its owning session opened to joined streams (SHARE, then JOIN from the sender's other
 * connections): its partial file, which chunks are written and by whom, and the hashes of the chunks the joined
 * streams wrote, which the owner takes over at its commit. Each chunk index is written by one stream only (the
 * first to claim it), so the hash the owner commits with is always that of the bytes on disk. Thread-safe: the owner's
 * session thread and the joined sessions' threads call it; a write holds the read lock, {@link #close} the write
 * lock, so no joined write reaches the partial file once the owner commits or gives it up.
 */
final class SharedFile {
    /** What became of a joined stream's chunk. */
    enum Written {
        /** Written at its offset; the owner takes its hash at the commit. */
        WRITTEN,
        /** Another stream (or an earlier attempt) holds that chunk already: nothing was written. */
        ALREADY_THERE,
        /** The owner committed the file or gave it up: nothing was written. */
        CLOSED
    }

    /** The chunks joined streams wrote, with their hashes at {@code index * digestLength}. */
    record Joined(BitSet indices, byte[] hashes) {
    }

    private final String folder;
    private final String path;
    private final byte[] key;
    private final String peer;
    private final int chunkCount;
    private final int chunkSize;
    private final long size;
    private final HashAlgorithm algorithm;
    private final PartialFile partial;
    private final SharedFiles registry;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Chunks on disk or being written, by any stream; guarded by itself. */
    private final BitSet claimed;
    /** Guarded by {@link #claimed}. */
    private final BitSet joined = new BitSet();
    private final byte[] joinedHashes;
    private boolean open = true; // guarded by the write lock (read under the read lock)
    /** Gives back what the joined hashes took of the receiver's hash budget, once. */
    private final Runnable release;

    /**
     * @param have    chunks the owner holds already (resumed, reused): no joined stream writes them
     * @param release gives back the hash budget {@link #joinedHashes} took, at {@link #close}
     */
    SharedFile(String folder, String path, byte[] key, String peer, Frame.Offer offer, PartialFile partial, BitSet have,
               SharedFiles registry, Runnable release) {
        this.release = release;
        this.folder = folder;
        this.path = path;
        this.key = key.clone();
        this.peer = peer;
        this.chunkCount = offer.chunkCount();
        this.chunkSize = offer.chunkSize();
        this.size = offer.size();
        this.algorithm = offer.algorithm();
        this.partial = partial;
        this.registry = registry;
        this.claimed = (BitSet) have.clone();
        this.joinedHashes = new byte[Math.multiplyExact(chunkCount, algorithm.digestLength())];
    }

    /**
     * Opens an owner's file to JOINs: registered in {@code registry}, the joined chunks' hashes taken from
     * {@code budget}; null if there is no room in the budget now, or another session shares the path (the file then
     * goes on the one connection).
     */
    static SharedFile open(SharedFiles registry, HashBudget budget, String folder, String peer, byte[] key,
                           Frame.Offer offer, PartialFile partial, BitSet have) {
        long cost = HashBudget.cost(offer.chunkCount(), offer.algorithm().digestLength()) / 2; // (one hash a chunk)
        if (!budget.tryReserve(cost)) {
            return null;
        }
        SharedFile f = new SharedFile(folder, offer.path(), key, peer, offer, partial, have, registry,
                () -> budget.release(cost));
        if (!registry.add(f)) {
            budget.release(cost);
            return null;
        }
        return f;
    }

    String folder() {
        return folder;
    }

    String path() {
        return path;
    }

    boolean keyMatches(byte[] other) {
        return MessageDigest.isEqual(key, other);
    }

    /** Who owns it: the ID or address of the authenticated sender; a JOIN must come from the same. */
    String peer() {
        return peer;
    }

    int chunkCount() {
        return chunkCount;
    }

    long size() {
        return size;
    }

    int chunkSize() {
        return chunkSize;
    }

    HashAlgorithm algorithm() {
        return algorithm;
    }

    PartialFile partial() {
        return partial;
    }

    /** Committed or given up by its owner: no JOIN finds it, no chunk goes in. */
    boolean closed() {
        lock.readLock().lock();
        try {
            return !open;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Owner's session thread: it is about to write chunk {@code index}; false if a joined stream wrote it. */
    boolean claimForOwner(int index) {
        synchronized (claimed) {
            if (claimed.get(index)) {
                return false;
            }
            claimed.set(index);
            return true;
        }
    }

    /**
     * A joined session's thread: writes a verified chunk at its offset, unless another stream has it or the owner
     * closed the file; {@code hash} (at {@code hashOffset}) is what the bytes hash to.
     */
    Written write(int index, ByteBuffer data, byte[] hash, int hashOffset) throws IOException {
        lock.readLock().lock();
        try {
            if (!open) {
                return Written.CLOSED;
            }
            synchronized (claimed) {
                if (claimed.get(index)) {
                    return Written.ALREADY_THERE;
                }
                claimed.set(index);
            }
            try {
                partial.write(data, (long) index * chunkSize);
            } catch (IOException | RuntimeException e) {
                synchronized (claimed) {
                    claimed.clear(index); // (not on disk: the chunk may come again, from any stream)
                }
                throw e;
            }
            int d = algorithm.digestLength();
            synchronized (claimed) {
                System.arraycopy(hash, hashOffset, joinedHashes, index * d, d);
                joined.set(index);
            }
            return Written.WRITTEN;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Owner's session thread, at its commit or when it gives the file up: no joined stream writes to it any more, and
     * no JOIN finds it. Returns what the joined streams wrote.
     */
    Joined close() {
        lock.writeLock().lock();
        try {
            if (!open) {
                return new Joined(new BitSet(), new byte[0]);
            }
            open = false;
        } finally {
            lock.writeLock().unlock();
        }
        registry.remove(this);
        release.run();
        synchronized (claimed) {
            return new Joined((BitSet) joined.clone(), Arrays.copyOf(joinedHashes, joinedHashes.length));
        }
    }
}
