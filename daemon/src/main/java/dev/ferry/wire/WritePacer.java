package dev.ferry.wire;

import java.io.InterruptedIOException;

/**
 * Holds a connection's socket writes to a rate: {@link FrameChannel} asks it before every write to the transport,
 * under its write lock, with the number of bytes about to go. An implementation blocks (sleeps, never spins) until
 * those bytes may go. Called by whichever thread holds the channel's write lock.
 */
@FunctionalInterface
public interface WritePacer {
    /** No limit. */
    WritePacer NONE = bytes -> {
    };

    /**
     * Returns once {@code bytes} more may be written.
     *
     * @throws InterruptedIOException if the thread is interrupted while it waits (its interrupt flag is set again)
     */
    void beforeWrite(long bytes) throws InterruptedIOException;
}
