package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A pair's rescan and save timers, driven by a hand-moved clock. */
class PairTimersTest {
    final ManualClock clock = new ManualClock();
    final PairTimers timers = new PairTimers(clock, Duration.ofMinutes(10));

    @Test
    void theIndexIsSavedEveryFiveSeconds() {
        assertThat(timers.nextDueNs()).isEqualTo(Duration.ofSeconds(5).toNanos());
        clock.advance(Duration.ofMillis(4999));
        assertThat(timers.saveDue()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(timers.saveDue()).isTrue();
        assertThat(timers.saveDue()).isFalse();
        assertThat(timers.nextDueNs()).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aFullRescanIsDueEveryRescanIntervalAndFiveSecondsAfterAFailure() {
        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(timers.rescanDue()).isFalse();
        clock.advance(Duration.ofNanos(1));
        assertThat(timers.rescanDue()).isTrue();
        assertThat(timers.rescanDue()).isFalse();

        timers.failed();
        clock.advance(Duration.ofSeconds(5));
        assertThat(timers.rescanDue()).isTrue();
    }
}
