package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.testing.ManualClock;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bandwidth limit's bucket on a clock the test moves: exact waits, no sleeping. */
class TokenBucketTest {
    final ManualClock clock = new ManualClock();
    final List<Long> sleeps = new ArrayList<>();
    /** A pause that records the wait and moves the clock by it, as a real sleep would. */
    final TokenBucket.Pause pause = nanos -> {
        sleeps.add(nanos);
        clock.advance(Duration.ofNanos(nanos));
    };

    @Test
    void aBurstGoesAtOnceThenEachWriteWaitsForItsBytes() throws InterruptedIOException {
        TokenBucket bucket = new TokenBucket(1_000_000, clock, pause); // 1 MB/s: a burst of 100,000 bytes

        bucket.beforeWrite(100_000);
        assertThat(sleeps).isEmpty();
        bucket.beforeWrite(250_000); // 250,000 bytes in debt: a quarter of a second
        bucket.beforeWrite(500_000);

        assertThat(sleeps).containsExactly(250_000_000L, 500_000_000L);
    }

    @Test
    void timeSpentElsewhereIsCreditedUpToTheBurstOnly() throws InterruptedIOException {
        TokenBucket bucket = new TokenBucket(1_000_000, clock, pause);
        bucket.beforeWrite(100_000);
        clock.advance(Duration.ofMillis(50)); // earns 50,000

        bucket.beforeWrite(60_000);
        assertThat(sleeps).containsExactly(10_000_000L);

        clock.advance(Duration.ofHours(1)); // idle: the bucket fills to its burst, no further
        sleeps.clear();
        bucket.beforeWrite(100_000);
        bucket.beforeWrite(1_000);
        assertThat(sleeps).containsExactly(1_000_000L);
    }

    @Test
    void eightMebibytesAtFourPerSecondTakeAboutTwoSeconds() throws InterruptedIOException {
        TokenBucket bucket = new TokenBucket(4 << 20, clock, pause);
        long start = clock.nanoTime();

        for (int i = 0; i < 64; i++) {
            bucket.beforeWrite(128 * 1024);
        }

        // all but the first burst (a tenth of a second's worth) is paid for by waiting
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).isBetween(Duration.ofMillis(1899), Duration.ofMillis(1901));
    }

    @Test
    void theBurstIsATenthOfASecondButAtLeast16KiB() {
        assertThat(new TokenBucket(10 << 20, clock, pause).burstBytes()).isEqualTo((10 << 20) / 10);
        assertThat(new TokenBucket(1000, clock, pause).burstBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void anInterruptedWaitSaysSoAndKeepsTheFlag() {
        TokenBucket bucket = new TokenBucket(1000, clock, nanos -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(() -> bucket.beforeWrite(100_000)).isInstanceOf(InterruptedIOException.class)
                .hasMessage("interrupted while held to bwlimit 1000 B/s");
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void aRateBelowOneByteASecondIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, clock, pause)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bytesPerSecond=0 must be positive");
    }
}
