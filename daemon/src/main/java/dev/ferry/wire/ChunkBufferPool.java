package dev.ferry.wire;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * A bounded set of buffers for CHUNK payloads, so that a reading thread can hand chunks to another thread
 * without copying them, and stops reading (TCP pushes back on the sender) when that thread falls behind.
 * {@link #take} blocks while all buffers are out; every taken buffer must be {@link #give given} back.
 * Buffers are allocated on first use and reused; at most {@code count} exist.
 */
public final class ChunkBufferPool {
    private final Semaphore available;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

    public ChunkBufferPool(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count=" + count);
        }
        this.available = new Semaphore(count);
    }

    /** A buffer of at least {@code length} bytes. */
    public byte[] take(int length) throws InterruptedException {
        available.acquire();
        byte[] b = free.poll();
        if (b == null || b.length < length) {
            b = new byte[length];
        }
        return b;
    }

    public void give(byte[] buffer) {
        free.add(buffer);
        available.release();
    }
}
