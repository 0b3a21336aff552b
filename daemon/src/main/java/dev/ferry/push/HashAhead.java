package dev.ferry.push;

import dev.ferry.hash.StampedDigest;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;

/**
 * Hashes a streamed file from its first chunk to its last on a thread of its own, while its chunks go out. Hashing
 * runs several times faster than a network link, so the sender finds most chunks' hashes here and only reads and
 * sends them. When it is done the whole list is known: the file hash for COMMIT (also covering the chunks a resumed
 * receiver kept, without reading them again for it), the list a receiver asks for first, and an entry for the
 * {@link DigestCache}, so that a push killed halfway resumes without hashing the file at all. Written by its own
 * thread; {@link #hashOf} may be called from any thread.
 */
final class HashAhead {
    private final SourceEntry entry;
    private final HashAlgorithm algorithm;
    private final int chunkSize;
    private final int count;
    private final byte[] hashes;
    /** Chunks per slice: slice {@code k} is chunks {@code [k * perSlice, (k + 1) * perSlice)}, each read by a thread. */
    private final int perSlice;
    /** Per slice, how many of its chunks are in {@code hashes}, from its start (the volatile write publishes them). */
    private final AtomicIntegerArray hashed;
    private volatile boolean stopped;
    /** Where the slices after the first get their threads; set by {@link #start} (tests call {@link #run} alone). */
    private SessionThreads threads = SessionThreads.PLATFORM;

    /** @param slices how many threads share a file of at least {@link FileHasher#PARALLEL_BYTES} (a smaller one: 1) */
    HashAhead(SourceEntry entry, HashAlgorithm algorithm, int chunkSize, int slices) {
        this.entry = entry;
        this.algorithm = algorithm;
        this.chunkSize = chunkSize;
        this.count = FileDigest.chunkCount(entry.size(), chunkSize);
        this.hashes = new byte[Math.multiplyExact(count, algorithm.digestLength())];
        int n = entry.size() >= FileHasher.PARALLEL_BYTES ? Math.max(1, Math.min(slices, count)) : 1;
        this.perSlice = Math.max(1, Math.ceilDiv(count, n));
        this.hashed = new AtomicIntegerArray(Math.max(1, Math.ceilDiv(count, perSlice)));
    }

    /**
     * Runs {@link #run} on a thread of its own ({@code threads}) once {@code slot} lets it (files take turns), keeps
     * the list in {@code digests} if the file held still from start to end (same stamp before and after, and the size
     * and mtime it was listed with), and reports the list, or why there is none, to {@code done}: nothing once
     * {@link #stop}ped.
     */
    void start(SessionThreads threads, Semaphore slot, DigestCache digests, BiConsumer<FileDigest, IOException> done) {
        this.threads = threads;
        threads.start("ferry-hash-ahead", () -> {
            try {
                slot.acquire();
            } catch (InterruptedException e) {
                return;
            }
            FileDigest digest = null;
            IOException error = null;
            StampedDigest.Stamp before = null;
            try {
                before = DigestCache.stamp(entry.local());
                digest = run();
                if (digest != null && changedSince(before)) {
                    digest = null;
                    error = new Changed();
                }
            } catch (IOException e) { // (a file that shrank while it was read fails its read: say it changed)
                error = before != null && changedSince(before) ? new Changed() : e;
            } catch (RuntimeException e) { // never leave a file waiting for a list that will not come
                error = new IOException(e.toString(), e);
            } finally {
                slot.release(); // the next file's turn: this one only reports now
            }
            if (digest != null) {
                digests.keep(entry.local(), before, digest);
            }
            if (digest != null || error != null) { // (neither: stopped, the file was done with first)
                done.accept(digest, error);
            }
        });
    }

    /** The file is not what it was listed as, or it changed while it was hashed: its list describes no one version. */
    static final class Changed extends IOException {
        Changed() {
            super("it changed while being hashed");
        }
    }

    /** True if the file's stamp is no longer {@code before}, or no longer has the size and mtime it was listed with. */
    private boolean changedSince(StampedDigest.Stamp before) {
        try {
            StampedDigest.Stamp now = DigestCache.stamp(entry.local());
            return !now.equals(before) || !DigestCache.matches(now, entry);
        } catch (IOException e) {
            return true; // gone
        }
    }

    /** How many threads read the file. */
    int slices() {
        return hashed.length();
    }

    /** Copies chunk {@code index}'s hash to {@code out[0, digestLength)} if it is known yet. */
    boolean hashOf(int index, byte[] out) {
        int slice = index / perSlice;
        if (index - slice * perSlice >= hashed.get(slice)) {
            return false;
        }
        int d = algorithm.digestLength();
        System.arraycopy(hashes, index * d, out, 0, d);
        return true;
    }

    /** The file is done with (committed or given up): {@link #run} returns null soon. */
    void stop() {
        stopped = true;
    }

    /**
     * Reads and hashes every chunk, at the size the file was listed with: the first slice on this thread, the others
     * on threads of their own. Returns the digest, or null once {@link #stop}ped.
     *
     * @throws IOException the file cannot be read, or it shrank ("changed while being read")
     */
    FileDigest run() throws IOException {
        int slices = hashed.length();
        List<Thread> others = new ArrayList<>(slices - 1);
        IOException[] failed = new IOException[slices];
        for (int k = 1; k < slices; k++) {
            int slice = k;
            others.add(threads.start("ferry-hash-ahead", () -> {
                try {
                    hashSlice(slice);
                } catch (IOException e) {
                    failed[slice] = e; // (published by the join)
                } catch (RuntimeException e) {
                    failed[slice] = new IOException(e.toString(), e);
                }
            }));
        }
        try {
            hashSlice(0);
        } catch (IOException | RuntimeException e) {
            stopped = true; // the others stop at their next chunk
            others.forEach(SessionThreads::joinQuietly);
            throw e;
        }
        try {
            for (Thread t : others) {
                t.join(); // (not bounded: a slice of a big file on a slow disk takes what it takes; stop() ends it)
            }
        } catch (InterruptedException e) {
            stopped = true;
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + entry.local());
        }
        for (IOException e : failed) {
            if (e != null) {
                throw e;
            }
        }
        return stopped ? null : FileDigest.of(algorithm, chunkSize, entry.size(), hashes);
    }

    private void hashSlice(int slice) throws IOException {
        int from = slice * perSlice;
        int to = Math.min(count, from + perSlice);
        if (stopped || from >= to) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(chunkSize, Math.max(1, entry.size())));
        try (FileChannel ch = FileChannel.open(entry.local(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileHasher.hashRange(ch, entry.size(), chunkSize, from, to, hashes, ChunkDigester.of(algorithm), buffer,
                    entry.local(), index -> {
                        hashed.set(slice, index + 1 - from); // (the volatile write publishes the hash)
                        return !stopped;
                    });
        }
    }
}
