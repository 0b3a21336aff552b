package dev.ferry.status;

import java.time.Instant;
import java.util.List;

/**
 * One target of a pair.
 *
 * @param target         the target's URI ({@code ferry://host:port/folder[/subdir]}; never a secret)
 * @param state          what it is doing
 * @param filesPending   files queued or on their way (not yet committed)
 * @param bytesPending   their bytes not yet acknowledged
 * @param inFlight       the file going out now (the one most recently started), or null
 * @param bytesPerSecond acknowledged chunk bytes per second over the last few seconds
 * @param lastSync       when the target last reached {@link SyncState#IN_SYNC} (or PARKED), or null if never
 * @param lastError      the last failure (connection or file), or null; stays until the next success
 * @param parked         files given up on for now
 * @param counters       totals since the daemon (or this target, after a reload) started
 */
public record TargetStatus(String target, SyncState state, long filesPending, long bytesPending, InFlight inFlight,
                           long bytesPerSecond, Instant lastSync, String lastError, List<ParkedFile> parked,
                           SenderCounters counters) {
    public TargetStatus {
        parked = List.copyOf(parked);
    }

    /**
     * The file going out now.
     *
     * @param path      relative to the target's folder
     * @param size      its size in bytes
     * @param bytesDone bytes acknowledged so far
     */
    public record InFlight(String path, long size, long bytesDone) {
    }

    /**
     * A file that failed too often in a row.
     *
     * @param path    relative to the target's folder
     * @param reason  the last failure
     * @param retryAt when it is tried again
     */
    public record ParkedFile(String path, String reason, Instant retryAt) {
    }
}
