package dev.ferry.receive;

import dev.ferry.wire.ChunkBufferPool;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A session's incoming frames: a thread of its own reads them from the connection into a queue, so that the
 * session works on one frame while the next arrive (CHUNK data in pooled buffers; the pool bounds how far the
 * reader runs ahead, and TCP then pushes back on the sender). The end of the stream, or the read failure, comes
 * out last, as the exception it was. {@link #wake} lets another thread end a {@link #take} without a frame.
 *
 * <p>The queue holds at most {@link #MAX_QUEUED} frames: a peer sending small frames (LIST, PING, OFFER) faster
 * than the session handles them meets TCP's back-pressure too, instead of growing the receiver's heap.
 */
final class SessionInbox {
    private static final Object WAKE = new Object();
    /** Frames read ahead of the session, CHUNKs included (which the buffer pool bounds further). */
    static final int MAX_QUEUED = 1024;

    private final FrameChannel channel;
    private final ChunkBufferPool chunkBuffers;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(MAX_QUEUED + 1); // (+1: room for the end)
    private Thread reader;

    SessionInbox(FrameChannel channel, ChunkBufferPool chunkBuffers) {
        this.channel = channel;
        this.chunkBuffers = chunkBuffers;
    }

    void start(String threadName) {
        reader = Thread.ofVirtual().name(threadName).start(this::readLoop);
    }

    /** The next frame if one is queued, else null. */
    Frame poll() throws IOException {
        for (Object o; (o = queue.poll()) != null; ) {
            if (o != WAKE) {
                return frame(o);
            }
        }
        return null;
    }

    /** Waits up to {@code patience} for the next frame; null if none came or {@link #wake woken} first. */
    Frame poll(Duration patience) throws IOException {
        Object o;
        try {
            o = queue.poll(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("session interrupted");
        }
        return o == null || o == WAKE ? null : frame(o);
    }

    /** Waits for the next frame; null if {@link #wake woken} first. */
    Frame take() throws IOException {
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("session interrupted");
        }
        return o == WAKE ? null : frame(o);
    }

    /**
     * Ends a {@link #take} in progress (or the next one) without a frame. Any thread. A full queue needs no wake:
     * the session has frames to take, and looks at what woke it before each.
     */
    void wake() {
        queue.offer(WAKE);
    }

    /** Frames (and wakes) queued now. */
    int queued() {
        return queue.size();
    }

    /** Closes the connection (which ends a blocked read), waits for the reader, and returns queued chunks' buffers. */
    void stop() {
        if (reader == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing to stop the reader; the session is over either way
        }
        reader.interrupt();
        try {
            reader.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Object o; (o = queue.poll()) != null; ) {
            if (o instanceof Frame.Chunk c) {
                chunkBuffers.give(c.data());
            }
        }
    }

    private static Frame frame(Object o) throws IOException {
        if (o instanceof ReadEnded r) {
            throw r.error();
        }
        return (Frame) o;
    }

    /** Frames from the socket into the queue until the stream ends; the end (or failure) goes in last. */
    private void readLoop() {
        try {
            while (true) {
                Frame f = channel.read();
                try {
                    queue.put(f); // (blocks while the session is MAX_QUEUED frames behind)
                } catch (InterruptedException e) {
                    if (f instanceof Frame.Chunk c) {
                        chunkBuffers.give(c.data());
                    }
                    return; // stopped
                }
                if (f instanceof Frame.Bye) {
                    return;
                }
            }
        } catch (IOException e) {
            try {
                queue.put(new ReadEnded(e));
            } catch (InterruptedException stopped) {
                // the session is over: nobody takes the end
            }
        }
    }

    private record ReadEnded(IOException error) {
    }
}
