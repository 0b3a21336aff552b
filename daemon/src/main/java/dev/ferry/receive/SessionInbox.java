package dev.ferry.receive;

import dev.ferry.wire.ChunkBufferPool;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A session's incoming frames: a thread of its own reads them from the connection into a queue, so that the
 * session works on one frame while the next arrive (CHUNK data in pooled buffers; the pool bounds how far the
 * reader runs ahead, and TCP then pushes back on the sender). The end of the stream, or the read failure, comes
 * out last, as the exception it was. {@link #wake} lets another thread end a {@link #take} without a frame.
 */
final class SessionInbox {
    private static final Object WAKE = new Object();

    private final FrameChannel channel;
    private final ChunkBufferPool chunkBuffers;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
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

    /** Ends a {@link #take} in progress (or the next one) without a frame. Any thread. */
    void wake() {
        queue.add(WAKE);
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
                queue.add(f);
                if (f instanceof Frame.Bye) {
                    return;
                }
            }
        } catch (IOException e) {
            queue.add(new ReadEnded(e));
        }
    }

    private record ReadEnded(IOException error) {
    }
}
