package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void doublesFromTheFirstWaitUpToTheMaximumPlusAtMostAQuarterOfJitter() {
        Random random = new Random(1);
        long[] base = {100, 200, 400, 800, 1000, 1000, 1000};
        for (int attempt = 1; attempt <= base.length; attempt++) {
            for (int i = 0; i < 50; i++) {
                long ms = backoff.delay(attempt, random).toMillis();
                assertThat(ms).as("attempt %d", attempt).isBetween(base[attempt - 1], base[attempt - 1] * 5 / 4);
            }
        }
        assertThat(backoff.delay(1000, random).toMillis()).isBetween(1000L, 1250L);
    }

    @Test
    void jitterSpreadsTheWaits() {
        Random random = new Random(2);
        long distinct = java.util.stream.IntStream.range(0, 20).mapToLong(i -> backoff.delay(3, random).toNanos()).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void refusesAMaximumBelowTheFirstWait() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("backoff first=2s max=1s: need 0 < first <= max");
    }
}
