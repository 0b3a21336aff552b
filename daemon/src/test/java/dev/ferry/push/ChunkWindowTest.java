package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChunkWindowTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    private static OutgoingFile file(int id) {
        return new OutgoingFile(id, new SourceEntry(Path.of("/src/f" + id), "f" + id, false, 10, 0, 0, 0644), null, null);
    }

    @Test
    void noChunkGoesOutOnceMaxBytesAreUnacknowledged() {
        ChunkWindow window = new ChunkWindow(100, BACKOFF, new ManualClock());
        OutgoingFile f = file(1);
        window.queue(f);
        window.sent(60);
        assertThat(window.next()).isSameAs(f);
        window.sent(40);
        assertThat(window.next()).isNull();
        window.acked(40);
        assertThat(window.next()).isSameAs(f);
    }

    @Test
    void refusedChunkIsQueuedAgainOnlyOnceItsBackoffEndedOnTheClock() {
        ManualClock clock = new ManualClock();
        ChunkWindow window = new ChunkWindow(1000, BACKOFF, clock);
        OutgoingFile waiting = file(1);
        OutgoingFile refused = file(2);
        window.queue(waiting);
        window.resendLater(refused, 3, 1);
        assertThat(window.waitNs(Duration.ofSeconds(5).toNanos())).isBetween(Duration.ofMillis(100).toNanos(),
                Duration.ofMillis(125).toNanos());

        window.releaseDueResends(id -> true);
        assertThat(window.next()).isSameAs(waiting);

        clock.advance(Duration.ofMillis(125));
        assertThat(window.waitNs(Duration.ofSeconds(5).toNanos())).isZero();
        window.releaseDueResends(id -> true);
        assertThat(window.next()).isSameAs(refused); // a resend goes ahead of the files already waiting
        assertThat(refused.hasChunkToSend()).isTrue();
        assertThat(refused.nextChunk()).isEqualTo(3);
    }

    @Test
    void dueResendOfAFileNoLongerInFlightIsDropped() {
        ManualClock clock = new ManualClock();
        ChunkWindow window = new ChunkWindow(1000, BACKOFF, clock);
        OutgoingFile gone = file(7);
        window.resendLater(gone, 0, 1);
        clock.advance(Duration.ofSeconds(1));
        window.releaseDueResends(id -> id != 7);
        assertThat(window.next()).isNull();
        assertThat(gone.hasChunkToSend()).isFalse();
        assertThat(window.waitNs(42)).isEqualTo(42);
    }
}
