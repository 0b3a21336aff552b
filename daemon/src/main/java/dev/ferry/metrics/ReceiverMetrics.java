package dev.ferry.metrics;

import dev.ferry.status.ReceiverCounters;
import dev.ferry.status.ReceiverStatus;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The receiving side's families: the receiver's totals since it started, its connections by state
 * ({@code handshake}, {@code active}), transfers in progress and partial files kept. No labels beyond the state: a
 * daemon has at most one receiver and its counters are not kept per folder. One instance per scrape.
 */
final class ReceiverMetrics {
    private final MetricSnapshots.Builder out;

    private ReceiverMetrics(MetricSnapshots.Builder out) {
        this.out = out;
    }

    static void addTo(MetricSnapshots.Builder out, ReceiverStatus receiver) {
        if (receiver != null) {
            new ReceiverMetrics(out).add(receiver);
        }
    }

    private void add(ReceiverStatus r) {
        long handshaking = r.peers().stream().filter(ReceiverStatus.Peer::handshaking).count();
        Family.gauge("ferry_receiver_connections", "Connections open to the receiver now, by state.")
                .add(handshaking, "state", "handshake")
                .add(r.peers().size() - handshaking, "state", "active")
                .addTo(out);
        gauge("ferry_receiver_transfers", "Files being received now.", r.transfers().size());
        gauge("ferry_receiver_partial_files", "Partial files kept for resume, over all folders.", r.partialsKept());

        ReceiverCounters c = r.counters();
        counter("ferry_receiver_committed_files", "Files received and committed at their final path.",
                c.filesCommitted());
        counter("ferry_receiver_received_bytes", "Chunk bytes received and written.", c.bytesReceived());
        counter("ferry_receiver_received_chunks", "Chunks received and written.", c.chunksReceived());
        counter("ferry_receiver_reused_chunks", "Chunks copied from a file the receiver held instead of sent.",
                c.chunksReused());
        counter("ferry_receiver_resumed_chunks", "Chunks found verified in a partial file an earlier attempt left.",
                c.chunksResumed());
        counter("ferry_receiver_joined_chunks", "Of the chunks received, those that came on a joined stream (parallel streams).",
                c.chunksJoined());
        counter("ferry_receiver_unchanged_files", "Files offered that the receiver already held identical.",
                c.filesUnchanged());
        counter("ferry_receiver_failed_files", "Files whose transfer ended with an error.", c.filesFailed());
        counter("ferry_receiver_deletes", "Deletes carried out.", c.deletes());
        counter("ferry_receiver_renames", "Renames carried out.", c.renames());
        counter("ferry_receiver_crc_mismatches", "Chunks refused for a bad CRC32C.", c.crcMismatches());
        counter("ferry_receiver_hash_mismatches", "Chunks or files refused for a bad hash.", c.hashMismatches());
        counter("ferry_receiver_refused_paths", "Paths refused as unsafe (outside the folder, reserved names).",
                c.pathsRefused());
        counter("ferry_receiver_auth_failures", "Handshakes refused for their credentials.", c.authFailures());
        counter("ferry_receiver_protocol_errors", "Sessions ended by a malformed or unexpected frame.",
                c.protocolErrors());
        counter("ferry_receiver_accepted_connections", "Connections given a session.", c.connectionsAccepted());
        counter("ferry_receiver_rejected_connections", "Connections refused at the connection limit.",
                c.connectionsRejected());
    }

    private void gauge(String name, String help, double value) {
        Family.gauge(name, help).add(value).addTo(out);
    }

    private void counter(String name, String help, double value) {
        Family.counter(name, help).add(value).addTo(out);
    }
}
