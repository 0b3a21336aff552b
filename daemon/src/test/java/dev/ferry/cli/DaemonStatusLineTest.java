package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.PairStatus;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one-line STATUS= that {@code ferry daemon} gives systemd (the daemon sending it: SystemdNotifyTest). */
class DaemonStatusLineTest {
    @Test
    void namesThePairsAndWhereTheReceiverListens() throws Exception {
        InetSocketAddress any4 = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7878);
        InetSocketAddress any6 = new InetSocketAddress(InetAddress.getByName("::"), 7878);

        assertThat(SystemdListener.statusLine(2, Optional.of(any4))).isEqualTo("2 pairs, receiver on 0.0.0.0:7878");
        assertThat(SystemdListener.statusLine(1, Optional.of(any6)))
                .isEqualTo("1 pair, receiver on [0:0:0:0:0:0:0:0]:7878");
        assertThat(SystemdListener.statusLine(1, Optional.empty())).isEqualTo("1 pair, no receiver");
        assertThat(SystemdListener.statusLine(0, Optional.of(any4))).isEqualTo("0 pairs, receiver on 0.0.0.0:7878");
    }

    static TargetStatus target(SyncState state, long files, long bytes) {
        return new TargetStatus("ferry://h:1/f", state, files, bytes, null, 0, null, null, List.of(),
                new SenderCounters(0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0));
    }

    static DaemonStatus status(TargetStatus... targets) {
        return new DaemonStatus("dev", 1, Instant.EPOCH, Instant.EPOCH,
                List.of(new PairStatus("/src", 1, null, List.of(targets))), null, new LatencyRecorder().snapshot());
    }

    @Test
    void theActivityCountsTargetsByStateInStateOrderWithWhatIsLeftToGo() {
        assertThat(SystemdListener.activity(status())).isEmpty();
        assertThat(SystemdListener.activity(status(target(SyncState.IN_SYNC, 0, 0)))).isEqualTo("; 1 in sync");
        assertThat(SystemdListener.activity(status(target(SyncState.SYNCING, 12, 3 << 20),
                target(SyncState.IN_SYNC, 0, 0), target(SyncState.AUTH_FAILED, 0, 0), target(SyncState.IN_SYNC, 0, 0))))
                .isEqualTo("; 2 in sync, 1 syncing, 1 auth-failed (12 files, 3.0 MiB to go)");
        assertThat(SystemdListener.activity(status(target(SyncState.RETRYING, 1, 10))))
                .isEqualTo("; 1 retrying (1 file, 10 B to go)");
    }
}
