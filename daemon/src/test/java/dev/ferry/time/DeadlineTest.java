package dev.ferry.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void remainingShrinksAsTheClockMovesAndStopsAtZero() {
        Deadline d = clock.deadlineIn(Duration.ofSeconds(10));
        assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(4));
        assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(6));
        assertThat(d.expired()).isFalse();
        clock.advance(Duration.ofSeconds(7));
        assertThat(d.remaining()).isEqualTo(Duration.ZERO);
        assertThat(d.expired()).isTrue();
    }

    @Test
    void aPassedDeadlineDoesNotWaitForAThreadThatStillRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Deadline d = clock.deadlineIn(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(2));
        assertThat(d.join(t)).isFalse();
        release.countDown();
        assertThat(Deadline.after(FerryClock.system(), Duration.ofSeconds(10)).join(t)).isTrue();
    }

    @Test
    void aNegativeTimeoutIsRefusedWithItsValue() {
        assertThatThrownBy(() -> Deadline.after(clock, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout=PT-1S is negative");
    }
}
