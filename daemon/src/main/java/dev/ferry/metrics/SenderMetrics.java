package dev.ferry.metrics;

import dev.ferry.status.PairStatus;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;

/**
 * The sending side's families: per pair ({@code pair} = the source folder) and per target ({@code pair},
 * {@code target} = its {@code ferry://} URI). A target removed by a reload is simply absent from the next scrape.
 * One instance per scrape, on the scraping thread.
 */
final class SenderMetrics {
    private static final String PAIR = "pair";
    private static final String TARGET = "target";

    private final Family watched = Family.gauge("ferry_pair_watched_directories",
            "Directories of the source folder with an inotify watch now.");

    private final Family state = Family.gauge("ferry_target_state",
            "What the target is doing: 1 for its current state, 0 for the others.");
    private final Family pendingFiles = Family.gauge("ferry_target_pending_files",
            "Files queued for the target or on their way, not yet committed (the queue depth).");
    private final Family pendingBytes = Family.gauge("ferry_target_pending_bytes",
            "Bytes of the pending files not yet acknowledged by the receiver.");
    private final Family parked = Family.gauge("ferry_target_parked_files",
            "Files that failed too often in a row and wait for a later retry.");
    private final Family connections = Family.gauge("ferry_target_connections",
            "Connections open to the target's receiver now.");
    private final Family journal = Family.gauge("ferry_target_journal_bytes",
            "Size of the target's journal on disk.");
    private final Family lastSync = Family.gauge("ferry_target_last_sync_timestamp_seconds",
            "When the target was last in sync (Unix time); absent until it first is.");

    private final Family filesSent = Family.counter("ferry_sender_sent_files",
            "Files sent and committed on the receiver that needed at least one chunk.");
    private final Family filesUnchanged = Family.counter("ferry_sender_unchanged_files",
            "Files offered that the receiver already held identical.");
    private final Family bytesSent = Family.counter("ferry_sender_sent_bytes",
            "Chunk bytes sent, re-sends included.");
    private final Family wireBytes = Family.counter("ferry_sender_wire_bytes",
            "The sent chunks' bytes as they crossed the wire: fewer than sent_bytes by what compression saved.");
    private final Family chunksSent = Family.counter("ferry_sender_sent_chunks",
            "Chunks sent, re-sends included.");
    private final Family chunksResent = Family.counter("ferry_sender_resent_chunks",
            "Chunks sent again after the receiver refused them (NACK).");
    private final Family nacks = Family.counter("ferry_sender_nacks",
            "Chunks the receiver refused, by its reason.");
    private final Family deletes = Family.counter("ferry_sender_deletes",
            "Deletes the receiver carried out for this target.");
    private final Family renames = Family.counter("ferry_sender_renames",
            "Renames the receiver carried out for this target.");
    private final Family authFailures = Family.counter("ferry_sender_auth_failures",
            "Sessions the receiver refused for this target's credentials.");

    void add(List<PairStatus> pairs) {
        for (PairStatus pair : pairs) {
            watched.add(pair.watchedDirectories(), PAIR, pair.source());
            for (TargetStatus target : pair.targets()) {
                add(pair.source(), target);
            }
        }
    }

    private void add(String pair, TargetStatus target) {
        String[] labels = {PAIR, pair, TARGET, target.target()};
        for (SyncState s : SyncState.values()) {
            state.add(s == target.state() ? 1 : 0, PAIR, pair, TARGET, target.target(), "state", s.label());
        }
        pendingFiles.add(target.filesPending(), labels);
        pendingBytes.add(target.bytesPending(), labels);
        parked.add(target.parked().size(), labels);
        if (target.lastSync() != null) {
            lastSync.add(target.lastSync().toEpochMilli() / 1000.0, labels);
        }
        SenderCounters c = target.counters();
        connections.add(c.connections(), labels);
        journal.add(c.journalBytes(), labels);
        filesSent.add(c.filesSent(), labels);
        filesUnchanged.add(c.filesUnchanged(), labels);
        bytesSent.add(c.bytesSent(), labels);
        wireBytes.add(c.wireBytes(), labels);
        chunksSent.add(c.chunksSent(), labels);
        chunksResent.add(c.chunksResent(), labels);
        for (Map.Entry<String, Long> nack : c.nacksByReason().entrySet()) {
            nacks.add(nack.getValue(), PAIR, pair, TARGET, target.target(), "reason", nack.getKey());
        }
        deletes.add(c.deletes(), labels);
        renames.add(c.renames(), labels);
        authFailures.add(c.authFailures(), labels);
    }

    void addTo(MetricSnapshots.Builder out) {
        for (Family f : List.of(watched, state, pendingFiles, pendingBytes, parked, connections, journal, lastSync,
                filesSent, filesUnchanged, bytesSent, wireBytes, chunksSent, chunksResent, nacks, deletes, renames,
                authFailures)) {
            f.addTo(out);
        }
    }
}
