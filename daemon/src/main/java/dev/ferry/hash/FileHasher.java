package dev.ferry.hash;

import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file once, chunk by chunk, and returns its {@link FileDigest}. Files of at least
 * {@value #PARALLEL_BYTES} bytes are hashed in {@code parallelism} slices by as many virtual threads (a push
 * hashes a big file before it offers it, while the receiver idles: on 2 cores this halves that wait);
 * smaller ones on the caller's thread.
 */
public final class FileHasher {
    /** Files this big or bigger are hashed in slices, one per core. */
    public static final long PARALLEL_BYTES = 64L << 20;

    private final HashAlgorithm algorithm;
    private final ChunkDigester digester;
    private final int chunkSize;
    /**
     * Direct (read into and hashed without a copy); grown on demand up to one chunk: a fresh 1 MiB buffer costs
     * milliseconds (zeroing, page faults) per small file.
     */
    private ByteBuffer buffer = ByteBuffer.allocateDirect(0);
    private final int parallelism;

    public FileHasher(HashAlgorithm algorithm, int chunkSize) {
        this(algorithm, chunkSize, Runtime.getRuntime().availableProcessors());
    }

    public FileHasher(HashAlgorithm algorithm, int chunkSize, int parallelism) {
        this.algorithm = algorithm;
        this.digester = ChunkDigester.of(algorithm);
        this.chunkSize = chunkSize;
        this.parallelism = Math.max(1, parallelism);
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public int chunkSize() {
        return chunkSize;
    }

    /**
     * Hashes {@code file} at the size it has when opened.
     *
     * @throws IOException also when the file shrinks while it is read ("changed while being read")
     */
    public FileDigest hash(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return hash(ch, ch.size(), file);
        }
    }

    public FileDigest hash(FileChannel ch, long size, Path nameForErrors) throws IOException {
        int count = FileDigest.chunkCount(size, chunkSize);
        byte[] hashes = new byte[Math.multiplyExact(count, algorithm.digestLength())];
        if (size < PARALLEL_BYTES || parallelism == 1) {
            int need = (int) Math.min(chunkSize, size);
            if (buffer.capacity() < need) {
                buffer = ByteBuffer.allocateDirect(need);
            }
            hashRange(ch, size, 0, count, hashes, digester, buffer, nameForErrors);
        } else {
            hashInSlices(ch, size, count, hashes, nameForErrors);
        }
        return FileDigest.of(algorithm, chunkSize, size, hashes);
    }

    /** The digest of content already in memory ({@code data[0, length)}), chunked like a file. */
    public FileDigest hash(byte[] data, int length) {
        int count = FileDigest.chunkCount(length, chunkSize);
        int len = algorithm.digestLength();
        byte[] hashes = new byte[Math.multiplyExact(count, len)];
        for (int i = 0; i < count; i++) {
            digester.digest(data, i * chunkSize, FileDigest.chunkLength(length, chunkSize, i), hashes, i * len);
        }
        return FileDigest.of(algorithm, chunkSize, length, hashes);
    }

    private void hashInSlices(FileChannel ch, long size, int count, byte[] hashes, Path name) throws IOException {
        int per = Math.ceilDiv(count, parallelism);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        IOException[] failure = new IOException[1];
        for (int from = 0; from < count; from += per) {
            int start = from;
            int end = Math.min(count, from + per);
            threads.add(Thread.ofVirtual().name("ferry-hash").start(() -> {
                try {
                    hashRange(ch, size, start, end, hashes, ChunkDigester.of(algorithm), ByteBuffer.allocateDirect(chunkSize), name);
                } catch (IOException e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while hashing " + name);
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    private void hashRange(FileChannel ch, long size, int from, int to, byte[] hashes, ChunkDigester d, ByteBuffer buf,
                           Path name) throws IOException {
        hashRange(ch, size, chunkSize, from, to, hashes, d, buf, name, index -> true);
    }

    /** Told after each chunk of a range is hashed. */
    @FunctionalInterface
    public interface EachChunk {
        /** Chunk {@code index}'s hash is in place; false: stop (the rest of the range is not read). */
        boolean hashed(int index);
    }

    /**
     * Reads chunks {@code [from, to)} of a file of {@code size} bytes cut in {@code chunkSize} pieces and puts each
     * one's hash at {@code hashes[index * digestLength]}, telling {@code each} after every chunk. {@code buf} is
     * direct and holds at least one chunk.
     *
     * @return false if {@code each} stopped it
     * @throws IOException also when the file ends early ("changed while being read")
     */
    public static boolean hashRange(FileChannel ch, long size, int chunkSize, int from, int to, byte[] hashes,
                                    ChunkDigester digester, ByteBuffer buf, Path name, EachChunk each) throws IOException {
        int len = digester.algorithm().digestLength();
        for (int i = from; i < to; i++) {
            readFully(ch, buf, FileDigest.chunkLength(size, chunkSize, i), (long) i * chunkSize, name);
            digester.digest(buf, hashes, i * len);
            if (!each.hashed(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Positional read of exactly {@code len} bytes at {@code position} into {@code buf}, which then holds them from
     * position 0 to limit {@code len}.
     */
    public static void readFully(FileChannel ch, ByteBuffer buf, int len, long position, Path nameForErrors) throws IOException {
        buf.clear().limit(len);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException(nameForErrors + " changed while being read: ended at " + (position + buf.position())
                        + " bytes, expected " + (position + len));
            }
        }
        buf.flip();
    }
}
