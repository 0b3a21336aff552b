package dev.ferry.receive;

import dev.ferry.time.FerryClock;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.IOException;
import java.time.Duration;

/**
 * While a session's thread is busy with local work for one file (hashing a big file already at the final path can
 * take minutes), a PING every few seconds tells the sender we are alive: its watchdog closes a session whose
 * receiver stays silent for its read timeout. Runs on the session's thread.
 */
final class SessionHeartbeat implements LocalReuse.Heartbeat {
    private static final long EVERY_NS = Duration.ofSeconds(5).toNanos();

    private final FrameChannel channel;
    private final FerryClock clock;
    private long lastBeatNs;

    SessionHeartbeat(FrameChannel channel, FerryClock clock) {
        this.channel = channel;
        this.clock = clock;
        this.lastBeatNs = clock.nanoTime();
    }

    @Override
    public void beat() throws IOException {
        long now = clock.nanoTime();
        if (now - lastBeatNs >= EVERY_NS) {
            lastBeatNs = now;
            channel.send(new Frame.Ping(now));
        }
    }
}
