package dev.ferry.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A hand-made snapshot with every state a test wants to see: syncing with a file in flight, auth-failed, parked, guarded. */
public final class SampleStatus {
    /** When {@link #daemon()} was taken. */
    public static final Instant TAKEN = Instant.parse("2026-12-06T11:20:00Z");

    private SampleStatus() {
    }

    public static DaemonStatus daemon() {
        SenderCounters none = new SenderCounters(0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0);
        SenderCounters busy = new SenderCounters(12, 3, 50_331_648, 20_971_520, 48, 2, Map.of("crc-mismatch", 2L), 1, 1, 0, 2, 4096);
        TargetStatus syncing = new TargetStatus("ferry://backup.lan:7878/photos", SyncState.SYNCING, 3, 157_286_400,
                new TargetStatus.InFlight("2026/holiday/IMG_0412.mov", 104_857_600, 44_040_192), 12_582_912,
                TAKEN.minusSeconds(12), null, List.of(), busy);
        TargetStatus authFailed = new TargetStatus("ferry://nas:7878/photos", SyncState.AUTH_FAILED, 40, 1_048_576, null,
                0, null, "authentication failed: the token does not match", List.of(), none);
        TargetStatus parked = new TargetStatus("ferry://backup.lan:7878/docs", SyncState.PARKED, 0, 0, null, 0,
                TAKEN.minusSeconds(125), "permission denied: 'secret.txt'",
                List.of(new TargetStatus.ParkedFile("secret.txt", "cannot read: permission denied",
                        TAKEN.plusSeconds(3600))), none);
        PairStatus photos = new PairStatus("/srv/photos", 42, null, List.of(syncing, authFailed));
        PairStatus docs = new PairStatus("/srv/docs", 3, "the source is empty but the index lists 120 files",
                List.of(parked));
        ReceiverCounters rc = new ReceiverCounters(5, 0, 1, 0, 300, 314_572_800, 10, 4, 0, 0, 7, 2, 1, 0, 3, 1, 0);
        ReceiverStatus receiver = new ReceiverStatus("0.0.0.0:7878", List.of("inbox", "music"),
                List.of(new ReceiverStatus.Peer("192.168.1.20:51234", "inbox", TAKEN.minusSeconds(90)),
                        new ReceiverStatus.Peer("192.168.1.21:40000", null, TAKEN.minusSeconds(1))),
                List.of(new ReceiverStatus.Transfer("inbox", "scans/2026-12-06.pdf", "192.168.1.20:51234", 8_388_608,
                        2_097_152)),
                2, rc);
        LatencyHistogram latency = new LatencyHistogram(LatencyRecorder.BOUNDS,
                List.of(0L, 0L, 1L, 2L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), 0.1);
        return new DaemonStatus("ferry 0.1.0", 4242, TAKEN.minusSeconds(7380), TAKEN, List.of(photos, docs), receiver,
                latency);
    }
}
