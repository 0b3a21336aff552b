package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.push.TransferListener;
import dev.ferry.status.LatencyHistogram;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.TargetStatus;
import dev.ferry.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a target reports of its transfers: pending, in flight, rate, NACKs, latency; on a manual clock. */
class TargetActivityTest {
    final ManualClock clock = new ManualClock();
    final LatencyRecorder latency = new LatencyRecorder();
    final ChangeTimes changeTimes = new ChangeTimes(clock, latency, 2);
    final List<String> forwarded = new ArrayList<>();
    final TargetActivity activity = new TargetActivity(new TransferListener() {
        @Override
        public void acked(SourceEntry file, int index) {
            forwarded.add("acked " + file.remotePath() + " " + index);
        }

        @Override
        public void committed(SourceEntry file) {
            forwarded.add("committed " + file.remotePath());
        }
    }, changeTimes, new RateWindow(clock));

    static SourceEntry file(String path, long size) {
        return new SourceEntry(Path.of("/src", path), path, false, size, 0, 0, 0644);
    }

    @Test
    void pendingAndInFlightFollowTheAcksAndTheCommits() {
        SourceEntry big = file("big.bin", 2500);
        SourceEntry small = file("small.txt", 10);
        activity.planStarts(new PushPlan(List.of(), List.of(big, small), List.of(), Map.of(), List.of()));
        assertThat(activity.planFilesLeft()).isEqualTo(2);
        assertThat(activity.planBytesLeft()).isEqualTo(2510);
        assertThat(activity.inFlight()).isNull();

        activity.started(big, 1000, 3, new byte[16]);
        activity.acked(big, 0);
        activity.acked(big, 2); // the last chunk holds 500 bytes
        assertThat(activity.inFlight()).isEqualTo(new TargetStatus.InFlight("big.bin", 2500, 1500));
        assertThat(activity.planBytesLeft()).isEqualTo(1010);

        activity.committed(small, true); // the receiver had it: its bytes are no longer due
        activity.acked(big, 1);
        activity.committed(big, false);
        assertThat(activity.planFilesLeft()).isZero();
        assertThat(activity.planBytesLeft()).isZero();
        assertThat(activity.inFlight()).isNull();
        assertThat(forwarded).containsExactly("acked big.bin 0", "acked big.bin 2", "committed small.txt",
                "acked big.bin 1", "committed big.bin");
    }

    @Test
    void nacksAreCountedByReason() {
        SourceEntry f = file("a", 10);
        activity.started(f, 1000, 1, new byte[16]);
        activity.refused(f, 0, 1, "CRC_MISMATCH");
        activity.refused(f, 0, 2, "CRC_MISMATCH");
        activity.refused(f, 0, 3, "IO_ERROR");
        assertThat(activity.nacksByReason()).isEqualTo(Map.of("CRC_MISMATCH", 2L, "IO_ERROR", 1L));
    }

    @Test
    void theRateIsTheMeanOfTheLastWholeSeconds() {
        SourceEntry f = file("a", 10_000_000);
        activity.started(f, 1_000_000, 10, new byte[16]);
        for (int i = 0; i < 10; i++) {
            activity.acked(f, i);
            clock.advance(Duration.ofMillis(500));
        }
        // 10 MB over 5 s; the last whole 5 seconds hold all of it
        assertThat(activity.bytesPerSecond()).isEqualTo(2_000_000);
        clock.advance(Duration.ofSeconds(10));
        assertThat(activity.bytesPerSecond()).isZero();
    }

    @Test
    void aWatchedChangeIsTimedToEachTargetsCommitAndForgottenAfterTheLast() {
        changeTimes.seen(Path.of("/src/a"));
        clock.advance(Duration.ofMillis(30));
        changeTimes.seen(Path.of("/src/a")); // changed again before it was synced: keeps the first time
        clock.advance(Duration.ofMillis(10));
        changeTimes.committed(Path.of("/src/a")); // 40 ms for the first target
        clock.advance(Duration.ofSeconds(2));
        changeTimes.committed(Path.of("/src/a")); // 2.04 s for the second
        changeTimes.committed(Path.of("/src/a")); // no longer timed
        changeTimes.committed(Path.of("/src/never-seen"));
        LatencyHistogram h = latency.snapshot();
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.counts().get(LatencyRecorder.BOUNDS.indexOf(0.05))).isEqualTo(1);
        assertThat(h.counts().get(LatencyRecorder.BOUNDS.indexOf(2.5))).isEqualTo(1);
        assertThat(h.sumSeconds()).isCloseTo(2.08, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(changeTimes.size()).isZero();
    }
}
