package dev.ferry.wire;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A bounded set of buffers for CHUNK payloads, so that a reading thread can hand chunks to another thread
 * without copying them, and stops reading (TCP pushes back on the sender) when that thread falls behind.
 * {@link #take} blocks while all buffers are out; every taken buffer must be {@link #give given} back.
 * Buffers are direct (a socket reads into them and a file channel writes from them without a copy), allocated on
 * first use and reused; at most {@code count} exist.
 */
public final class ChunkBufferPool {
    private final Semaphore available;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();

    private static final int MIN_BUFFER = 64 * 1024;
    private final int bufferSize;

    /** At most {@code count} direct buffers of at most {@code bufferSize} bytes (a session's largest chunk). */
    public ChunkBufferPool(int count, int bufferSize) {
        if (count < 1 || bufferSize < 1) {
            throw new IllegalArgumentException("count=" + count + " bufferSize=" + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.available = new Semaphore(count);
    }

    /** A direct buffer with room for exactly {@code length} bytes (position 0, limit {@code length}). */
    public ByteBuffer take(int length) throws InterruptedException {
        if (length > bufferSize) {
            throw new IllegalArgumentException("length=" + length + " > bufferSize=" + bufferSize);
        }
        available.acquire();
        ByteBuffer b = free.poll();
        if (b == null || b.capacity() < length) {
            // sized to need (a session of small files holds small buffers), in powers of two so that they get reused;
            // a free one too small is dropped (the cleaner frees it) so that at most count buffers exist
            b = ByteBuffer.allocateDirect(Math.min(bufferSize, Math.max(MIN_BUFFER, Integer.highestOneBit(Math.max(1, length - 1)) << 1)));
        }
        return b.clear().limit(length);
    }

    public void give(ByteBuffer buffer) {
        free.add(buffer);
        available.release();
    }
}
