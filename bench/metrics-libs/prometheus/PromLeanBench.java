import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/metrics_libs_bench.sh: the official client without its instrumentation library: the snapshot model, the
 * text writer and exporter-httpserver, with exposition-formats (shaded protobuf) and core/tracer left out. The same
 * 20 metrics x 2 series as PromBench, built per scrape by one MultiCollector (the way ferry exports one status
 * snapshot).
 */
public final class PromLeanBench {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong value = new AtomicLong(42);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register((MultiCollector) () -> {
            MetricSnapshots.Builder out = MetricSnapshots.builder();
            for (int i = 0; i < 10; i++) {
                out.metricSnapshot(CounterSnapshot.builder().name("bench_counter_" + i).help("counter " + i)
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value.get()).labels(Labels.of("target", "a")).build())
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value.get() + 1).labels(Labels.of("target", "b")).build())
                        .build());
                out.metricSnapshot(GaugeSnapshot.builder().name("bench_gauge_" + i).help("gauge " + i)
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value.get()).labels(Labels.of("target", "a")).build())
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value.get() + 1).labels(Labels.of("target", "b")).build())
                        .build());
            }
            return out.build();
        });
        HTTPServer.builder().hostname("127.0.0.1").port(port).registry(registry).buildAndStart();
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
