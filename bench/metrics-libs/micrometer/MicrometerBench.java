import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/metrics_libs_bench.sh: Micrometer's Prometheus registry. The same 20 callback metrics x 2 series as
 * PromBench (FunctionCounter and Gauge), served by the JDK's HttpServer (Micrometer has no server of its own).
 */
public final class MicrometerBench {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        AtomicLong value = new AtomicLong(42);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (int i = 0; i < 10; i++) {
            for (String target : new String[] {"a", "b"}) {
                long offset = target.equals("a") ? 0 : 1;
                FunctionCounter.builder("bench_counter_" + i, value, v -> v.get() + offset).description("counter " + i)
                        .tag("target", target).register(registry);
                Gauge.builder("bench_gauge_" + i, value, v -> v.get() + offset).description("gauge " + i)
                        .tag("target", target).register(registry);
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
