package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The debounce, driven by a clock moved by hand. */
class SettlingPathsTest {
    final ManualClock clock = new ManualClock();
    final SettlingPaths settling = new SettlingPaths(clock, Duration.ofMillis(500));

    @Test
    void aPathSettlesOneDebounceAfterItsLastChange() {
        settling.changed("a.txt");
        clock.advance(Duration.ofMillis(400));
        settling.changed("a.txt");
        clock.advance(Duration.ofMillis(400));
        assertThat(settling.takeSettled()).isEmpty();
        clock.advance(Duration.ofMillis(100));
        assertThat(settling.takeSettled()).containsExactly("a.txt");
        assertThat(settling.takeSettled()).isEmpty();
    }

    @Test
    void settledPathsComeOutSortedAndTheOthersWait() {
        settling.changed("b/x");
        settling.changed("a");
        clock.advance(Duration.ofMillis(300));
        settling.changed("c");
        clock.advance(Duration.ofMillis(200));
        assertThat(settling.takeSettled()).containsExactly("a", "b/x");
        assertThat(settling.nextDueNs(Long.MAX_VALUE)).isEqualTo(Duration.ofMillis(800).toNanos());
    }

    @Test
    void aPendingRescanIsDueOneDebounceFromNowAndIsTakenOnce() {
        assertThat(settling.nextDueNs(7)).isEqualTo(7);
        settling.rescan("photos");
        settling.rescan("");
        assertThat(settling.hasRescans()).isTrue();
        assertThat(settling.nextDueNs(Long.MAX_VALUE)).isEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(settling.takeRescans()).containsExactly("", "photos");
        assertThat(settling.hasRescans()).isFalse();
    }

    @Test
    void clearForgetsPathsAndRescans() {
        settling.changed("a");
        settling.rescan("");
        settling.clear();
        clock.advance(Duration.ofSeconds(1));
        assertThat(settling.takeSettled()).isEmpty();
        assertThat(settling.hasRescans()).isFalse();
    }
}
