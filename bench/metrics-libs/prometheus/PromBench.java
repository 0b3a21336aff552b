import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/metrics_libs_bench.sh: the official Prometheus Java client (core + exporter-httpserver). Registers 20
 * callback metrics (10 counters, 10 gauges, one label each, 2 series per metric), serves GET /metrics on
 * 127.0.0.1:PORT, prints "ready" and waits until killed.
 */
public final class PromBench {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong value = new AtomicLong(42);
        PrometheusRegistry registry = new PrometheusRegistry();
        for (int i = 0; i < 10; i++) {
            CounterWithCallback.builder().name("bench_counter_" + i).help("counter " + i).labelNames("target")
                    .callback(cb -> { cb.call(value.get(), "a"); cb.call(value.get() + 1, "b"); })
                    .register(registry);
            GaugeWithCallback.builder().name("bench_gauge_" + i).help("gauge " + i).labelNames("target")
                    .callback(cb -> { cb.call(value.get(), "a"); cb.call(value.get() + 1, "b"); })
                    .register(registry);
        }
        HTTPServer.builder().hostname("127.0.0.1").port(port).registry(registry).buildAndStart();
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
