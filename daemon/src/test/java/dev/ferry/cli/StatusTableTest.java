package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.status.DaemonStatus;
import dev.ferry.status.PairStatus;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.status.SampleStatus;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static final Instant TAKEN = SampleStatus.TAKEN;

    @Test
    void rendersEveryStateOfASnapshotAsACompactTable() {
        assertThat(StatusTable.render(SampleStatus.daemon())).containsExactly(
                "ferry 0.1.0, pid 4242, up 2h3m",
                "  TARGET                   STATE          PENDING         RATE        LAST SYNC",
                "/srv/photos (42 directories watched)",
                "  backup.lan:7878/photos   syncing        3 (150.0 MiB)   12.0 MiB/s  12s ago",
                "    sending 2026/holiday/IMG_0412.mov: 42% of 100.0 MiB",
                "  nas:7878/photos          auth-failed    40 (1.0 MiB)    -           never",
                "    error: authentication failed: the token does not match",
                "/srv/docs (3 directories watched)",
                "  source guarded: the source is empty but the index lists 120 files",
                "  backup.lan:7878/docs     parked         -               -           2m ago",
                "    error: permission denied: 'secret.txt'",
                "    parked secret.txt: cannot read: permission denied; retry in 1h",
                "receiver on 0.0.0.0:7878, 2 partial files kept",
                "  folders: inbox, music",
                "  peer 192.168.1.20:51234     inbox            connected 1m ago",
                "  peer 192.168.1.21:40000     (handshake)      connected 1s ago",
                "  receiving inbox/scans/2026-12-06.pdf from 192.168.1.20:51234: 25% of 8.0 MiB");
    }

    @Test
    void longNamesAndMessagesAreCutToEightyColumnsAndLongListsCounted() {
        String deep = "a/very/deep/tree/" + "sub/".repeat(30) + "the-file-name-that-matters.bin";
        List<TargetStatus.ParkedFile> parked = IntStream.range(0, 12)
                .mapToObj(i -> new TargetStatus.ParkedFile(deep + i, "x".repeat(100), TAKEN.plusSeconds(90_000)))
                .toList();
        SenderCounters none = new SenderCounters(0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0);
        TargetStatus t = new TargetStatus("ferry://a-very-long-host-name.example.internal:7878/folder/sub/dir",
                SyncState.SOURCE_GUARDED, 123_456, 5L << 40, new TargetStatus.InFlight(deep, 1L << 30, 1L << 29),
                999L << 20, TAKEN.minusSeconds(3 * 86_400), "e".repeat(200), parked, none);
        ReceiverStatus r = new ReceiverStatus("[::1]:7878", List.of("f"), List.of(), IntStream.range(0, 11)
                .mapToObj(i -> new ReceiverStatus.Transfer("f", deep + i, "[2001:db8::1]:51234", 10, 5)).toList(), 1,
                SampleStatus.daemon().receiver().counters());
        DaemonStatus s = new DaemonStatus("ferry 0.1.0", 1, TAKEN.minusSeconds(30), TAKEN,
                List.of(new PairStatus("/" + "long/".repeat(30) + "source", 7, "g".repeat(100), List.of(t))), r,
                SampleStatus.daemon().transferLatency());

        List<String> lines = StatusTable.render(s);
        assertThat(lines).allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(StatusTable.WIDTH));
        assertThat(lines).contains(
                "ferry 0.1.0, pid 1, up 30s",
                "/long/long/long/long/lon...g/long/long/long/source (7 directories watched)",
                "  source guarded: " + "g".repeat(59) + "...",
                "  a-very-long...er/sub/dir source-guarded 123456 (5.0 TiB) 999.0 MiB/s 3d ago",
                "    sending a/very/deep/tree/su...e-that-matters.bin: 50% of 1.0 GiB",
                "    error: " + "e".repeat(66) + "...",
                "    ... and 2 more parked (ferry status --json lists all)",
                "receiver on [::1]:7878, 1 partial file kept",
                "  folders: f",
                "  no peers connected",
                "  receiving f/a/very/deep/...-matters.bin0 from [2001:db8::1]:51234: 50% of 10 B",
                "  ... and 1 more transfers (ferry status --json lists all)");
        assertThat(lines.stream().filter(l -> l.startsWith("    parked "))).hasSize(10)
                .first().isEqualTo("    parked a/very/deep/t...matters.bin0: " + "x".repeat(36) + "...");
    }

    @Test
    void spansUseTheLargestUnitThatSaysEnough() {
        assertThat(StatusTable.span(TAKEN, TAKEN.plusSeconds(59))).isEqualTo("59s");
        assertThat(StatusTable.span(TAKEN, TAKEN.plusSeconds(120))).isEqualTo("2m");
        assertThat(StatusTable.span(TAKEN, TAKEN.plusSeconds(3 * 3600 + 5 * 60))).isEqualTo("3h5m");
        assertThat(StatusTable.span(TAKEN, TAKEN.plusSeconds(20 * 3600))).isEqualTo("20h");
        assertThat(StatusTable.span(TAKEN, TAKEN.plusSeconds(3 * 86_400))).isEqualTo("3d");
        assertThat(StatusTable.span(TAKEN, TAKEN.minusSeconds(5))).as("a clock step back").isEqualTo("0s");
    }
}
