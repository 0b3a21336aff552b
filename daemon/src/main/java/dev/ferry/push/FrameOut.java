package dev.ferry.push;

import dev.ferry.time.FerryClock;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.IOException;

/**
 * The sending half of a push connection: every frame the session writes goes through here, which notes on the
 * session's clock when the last one went out (for keep-alives: a link quiet that long gets a PING). The writer
 * thread writes plans; the link's watchdog sends PINGs between plans; {@link FrameChannel} serialises the two.
 */
final class FrameOut {
    private final FrameChannel channel;
    private final FerryClock clock;
    private volatile long lastWriteNs;

    FrameOut(FrameChannel channel, FerryClock clock) {
        this.channel = channel;
        this.clock = clock;
        this.lastWriteNs = clock.nanoTime();
    }

    /** Writes {@code frame} into the send buffer (it goes out when the buffer fills or on {@link #flush}). */
    void write(Frame frame) throws IOException {
        channel.write(frame);
        lastWriteNs = clock.nanoTime();
    }

    /** Writes a CHUNK like {@link #write}; returns the data bytes on the wire (fewer when it went compressed). */
    int writeChunk(Frame.Chunk chunk) throws IOException {
        int wire = channel.writeChunk(chunk);
        lastWriteNs = clock.nanoTime();
        return wire;
    }

    /** Writes {@code frame} and flushes. */
    void send(Frame frame) throws IOException {
        channel.send(frame);
        lastWriteNs = clock.nanoTime();
    }

    void flush() throws IOException {
        channel.flush();
    }

    /** Nanoseconds since the last frame was written. */
    long quietNs() {
        return clock.nanoTime() - lastWriteNs;
    }

    /** How many chunk hashes of {@code digestLength} bytes one OFFER or HASHES frame carries at most. */
    int maxHashesPerFrame(int digestLength) {
        return channel.limits().maxHashesPerFrame(digestLength);
    }
}
