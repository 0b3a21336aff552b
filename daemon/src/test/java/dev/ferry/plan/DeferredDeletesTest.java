package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rename window, driven by a clock moved by hand. */
class DeferredDeletesTest {
    final ManualClock clock = new ManualClock();
    final DeferredDeletes deletes = new DeferredDeletes(clock, Duration.ofSeconds(2));

    @Test
    void aVanishedPathIsDueOnlyOnceItsWindowHasClosed() {
        deletes.hold("a.txt");
        clock.advance(Duration.ofMillis(1999));
        assertThat(deletes.takeDue()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(deletes.takeDue()).containsExactly("a.txt");
        assertThat(deletes.takeDue()).isEmpty();
    }

    @Test
    void aPathHeldAgainKeepsItsFirstWindow() {
        deletes.hold("a.txt");
        clock.advance(Duration.ofSeconds(1));
        deletes.hold("a.txt");
        clock.advance(Duration.ofSeconds(1));
        assertThat(deletes.takeDue()).containsExactly("a.txt");
    }

    @Test
    void aCancelledHoldIsNeverDue() {
        deletes.hold("a.txt");
        deletes.hold("b.txt");
        deletes.cancel("a.txt");
        clock.advance(Duration.ofSeconds(3));
        assertThat(deletes.takeDue()).containsExactly("b.txt");
    }

    @Test
    void theNextDueTimeIsTheEarliestWindowOrTheFallback() {
        assertThat(deletes.nextDueNs(42)).isEqualTo(42);
        deletes.hold("a.txt");
        clock.advance(Duration.ofSeconds(1));
        deletes.hold("b.txt");
        assertThat(deletes.nextDueNs(Long.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(deletes.nextDueNs(5)).isEqualTo(5);
    }
}
