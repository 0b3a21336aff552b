package dev.ferry.daemon;

import dev.ferry.plan.Delta;
import dev.ferry.push.SourceEntry;
import dev.ferry.status.SyncState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /** Files in queued deltas, each path once (the plan merges them: the latest version goes). */
    static long files(List<Delta> queued) {
        return latest(queued).size();
    }

    /** Their bytes. */
    static long bytes(List<Delta> queued) {
        return latest(queued).values().stream().mapToLong(SourceEntry::size).sum();
    }

    private static Map<String, SourceEntry> latest(List<Delta> queued) {
        Map<String, SourceEntry> files = new HashMap<>();
        for (Delta d : queued) {
            d.files().forEach(f -> files.put(f.remotePath(), f));
        }
        return files;
    }
}
