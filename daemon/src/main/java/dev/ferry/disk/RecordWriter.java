package dev.ferry.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes {@link RecordFrame}s (and a file header) to a channel through one buffer, at the channel's position: a
 * record is put whole into the buffer, and the buffer is written out when the next record does not fit and on
 * {@link #flush}. Forcing the channel to disk is the caller's call. Not thread-safe: one per file, on the thread
 * that writes it.
 */
public final class RecordWriter {
    private final WritableByteChannel out;
    private ByteBuffer buf;
    private int recordStart = -1;

    public RecordWriter(WritableByteChannel out, int bufferBytes) {
        this.out = out;
        this.buf = ByteBuffer.allocate(bufferBytes);
    }

    /** Puts bytes as they are: a file header, or records framed elsewhere. */
    public void put(ByteBuffer bytes) throws IOException {
        room(bytes.remaining());
        buf.put(bytes);
    }

    /**
     * Starts a record whose payload takes at most {@code maxPayloadBytes}; returns the buffer to put the payload
     * into, up to {@link #end}.
     */
    public ByteBuffer begin(int maxPayloadBytes) throws IOException {
        if (recordStart >= 0) {
            throw new IllegalStateException("record begun at " + recordStart + " was not ended");
        }
        room(RecordFrame.HEADER_LENGTH + maxPayloadBytes);
        recordStart = RecordFrame.begin(buf);
        return buf;
    }

    /** Ends the record begun last: its payload is what was put since {@link #begin}. */
    public void end(byte type) {
        RecordFrame.finish(buf, recordStart, type);
        recordStart = -1;
    }

    /** Writes out everything buffered. */
    public void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    /** Makes room for {@code n} more bytes: flushes, and grows the buffer for a record larger than it. */
    private void room(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        flush();
        if (buf.capacity() < n) {
            buf = ByteBuffer.allocate(n);
        }
    }
}
