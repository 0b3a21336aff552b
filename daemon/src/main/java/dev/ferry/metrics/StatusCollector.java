package dev.ferry.metrics;

import dev.ferry.status.DaemonStatus;
import dev.ferry.status.LatencyHistogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns one {@link DaemonStatus}, taken at the scrape, into every metric family: so all values of one scrape come
 * from the same moment, and nothing is registered or updated between scrapes. Runs on the HTTP server's thread of
 * the scrape; the supplier must be safe to call from it.
 */
final class StatusCollector implements MultiCollector {
    private final Supplier<DaemonStatus> status;

    StatusCollector(Supplier<DaemonStatus> status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public MetricSnapshots collect() {
        return snapshots(status.get());
    }

    static MetricSnapshots snapshots(DaemonStatus status) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        Family.gauge("ferry_build_info", "Always 1; the version of the running ferry in its label.")
                .add(1, "version", status.version())
                .addTo(out);
        Family.gauge("ferry_start_time_seconds", "When the daemon started (Unix time).")
                .add(status.startedAt().toEpochMilli() / 1000.0)
                .addTo(out);
        ProcessMetrics.addTo(out);
        SenderMetrics sender = new SenderMetrics();
        sender.add(status.pairs());
        sender.addTo(out);
        ReceiverMetrics.addTo(out, status.receiver());
        if (status.transferLatency() != null) {
            out.metricSnapshot(latency(status.transferLatency()));
        }
        return out.build();
    }

    /** The model counts per bucket, as the client's model wants them; the text writer makes them cumulative. */
    private static HistogramSnapshot latency(LatencyHistogram histogram) {
        List<Double> bounds = new ArrayList<>(histogram.upperBounds());
        bounds.add(Double.POSITIVE_INFINITY);
        return HistogramSnapshot.builder().name("ferry_transfer_latency_seconds").unit(Unit.SECONDS)
                .help("From a change seen on a source to its commit on a receiver, every target of every pair.")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, histogram.counts()))
                        .sum(histogram.sumSeconds())
                        .build())
                .build();
    }
}
