package dev.ferry.status;

import java.time.Instant;
import java.util.List;

/**
 * One snapshot of a running daemon, as {@code ferry status} shows it and the metrics endpoint exports it.
 *
 * @param version          what {@code ferry --version} prints
 * @param pid              the daemon's process id
 * @param startedAt        when the daemon started (wall clock)
 * @param takenAt          when this snapshot was taken (wall clock)
 * @param pairs            every running sync pair, in config order
 * @param receiver         the receiver, or null if this daemon receives nothing
 * @param transferLatency  change seen on the source to committed on a receiver, every target of every pair
 */
public record DaemonStatus(String version, long pid, Instant startedAt, Instant takenAt, List<PairStatus> pairs,
                           ReceiverStatus receiver, LatencyHistogram transferLatency) {
    public DaemonStatus {
        pairs = List.copyOf(pairs);
    }
}
