package dev.ferry.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * One counter or gauge family of a scrape: collects its series, then becomes a snapshot. A family without series
 * (no pairs, no receiver) is left out of the output. The unit follows the name's suffix ({@code _bytes},
 * {@code _seconds}), so an OpenMetrics scrape carries it too. Used on the scraping thread only.
 */
final class Family {
    private enum Kind { COUNTER, GAUGE }

    private record Series(double value, Labels labels) {
    }

    private final Kind kind;
    private final String name;
    private final String help;
    private final List<Series> series = new ArrayList<>();

    private Family(Kind kind, String name, String help) {
        this.kind = kind;
        this.name = name;
        this.help = help;
    }

    /** A counter; {@code name} without {@code _total}, which the text format adds. */
    static Family counter(String name, String help) {
        return new Family(Kind.COUNTER, name, help);
    }

    static Family gauge(String name, String help) {
        return new Family(Kind.GAUGE, name, help);
    }

    /** Adds one series; {@code labels} are name, value, name, value, ... */
    Family add(double value, String... labels) {
        series.add(new Series(value, Labels.of(labels)));
        return this;
    }

    void addTo(MetricSnapshots.Builder out) {
        if (series.isEmpty()) {
            return;
        }
        Unit unit = name.endsWith("_bytes") ? Unit.BYTES : name.endsWith("_seconds") ? Unit.SECONDS : null;
        switch (kind) {
            case COUNTER -> {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                if (unit != null) {
                    b.unit(unit);
                }
                series.forEach(s -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.value())
                        .labels(s.labels()).build()));
                out.metricSnapshot(b.build());
            }
            case GAUGE -> {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
                if (unit != null) {
                    b.unit(unit);
                }
                series.forEach(s -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.value())
                        .labels(s.labels()).build()));
                out.metricSnapshot(b.build());
            }
        }
    }
}
