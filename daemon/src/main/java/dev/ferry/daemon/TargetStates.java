package dev.ferry.daemon;

import dev.ferry.plan.Delta;
import dev.ferry.push.SourceEntry;
import dev.ferry.status.SyncState;
import java.util.List;

/** How a target's facts become the one state status shows, and what its queue holds. Pure functions. */
final class TargetStates {
    private TargetStates() {
    }

    /**
     * The state, the first that holds in this order: the source guard, refused credentials, an unreachable receiver,
     * the first comparison not done, work pending, files waiting for a retry, parked files; else in sync.
     */
    static SyncState decide(boolean guarded, boolean authFailed, boolean down, boolean firstScan, long filesPending,
                            int filesRetrying, int filesParked) {
        if (guarded) {
            return SyncState.SOURCE_GUARDED;
        } else if (authFailed) {
            return SyncState.AUTH_FAILED;
        } else if (down) {
            return SyncState.RETRYING;
        } else if (firstScan) {
            return SyncState.SCANNING;
        } else if (filesPending > 0) {
            return SyncState.SYNCING;
        } else if (filesRetrying > 0) {
            return SyncState.RETRYING;
        } else if (filesParked > 0) {
            return SyncState.PARKED;
        }
        return SyncState.IN_SYNC;
    }

    /** Files in queued deltas (a file queued twice counts twice: the plan will merge them). */
    static long files(List<Delta> queued) {
        return queued.stream().mapToLong(d -> d.files().size()).sum();
    }

    /** Their bytes. */
    static long bytes(List<Delta> queued) {
        return queued.stream().flatMap(d -> d.files().stream()).mapToLong(SourceEntry::size).sum();
    }
}
