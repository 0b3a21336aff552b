package dev.ferry.status;

import java.util.Map;
import java.util.TreeMap;

/**
 * Totals of one target since it started (monotonic, for Prometheus counters), and two gauges.
 *
 * @param filesSent     files committed that needed at least one chunk
 * @param filesUnchanged files the receiver already held identical
 * @param bytesSent     chunk bytes written, re-sends included (raw, as the files hold them)
 * @param wireBytes     the same chunks' bytes as they crossed the wire: fewer than {@code bytesSent} by what
 *                      compression saved (equal without it; frame headers counted in neither)
 * @param chunksSent    CHUNK frames written, re-sends included
 * @param chunksResent  of those, re-sends after a NACK
 * @param nacksByReason NACKs received, by the receiver's reason (sorted by reason)
 * @param deletes       DELETEs the receiver carried out
 * @param renames       RENAMEs the receiver carried out
 * @param authFailures  sessions the receiver refused for our credentials
 * @param connections   connections open to the receiver now (gauge)
 * @param journalBytes  size of the target's journal on disk now (gauge)
 */
public record SenderCounters(long filesSent, long filesUnchanged, long bytesSent, long wireBytes, long chunksSent, long chunksResent,
                             Map<String, Long> nacksByReason, long deletes, long renames, long authFailures,
                             int connections, long journalBytes) {
    public SenderCounters {
        nacksByReason = java.util.Collections.unmodifiableMap(new TreeMap<>(nacksByReason));
    }
}
