package dev.ferry.metrics;

import dev.ferry.status.DaemonStatus;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint: plain HTTP on one address, {@code GET /metrics} answers the text format (OpenMetrics when
 * the scraper asks for it), built from the status snapshot the supplier gives at each scrape. Each request runs on
 * its own virtual thread ({@code ferry-metrics-N}); {@link #close()} stops the listener and the requests in flight.
 * No authentication: on an address other hosts can reach, anyone there can read folder paths and target URIs from
 * the labels, so {@link #start} logs a warning for one.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HTTPServer server;
    private final ExecutorService requests;
    private final InetSocketAddress address;

    private MetricsEndpoint(HTTPServer server, ExecutorService requests, InetSocketAddress address) {
        this.server = server;
        this.requests = requests;
        this.address = address;
    }

    /**
     * Listens on {@code address} (port 0: any free port, see {@link #address()}) and serves {@code /metrics}.
     *
     * @param address a resolved address
     * @param status  called once per scrape, from the request's thread
     * @throws IOException naming the address when it cannot be bound (in use, not an address of this host)
     */
    public static MetricsEndpoint start(InetSocketAddress address, Supplier<DaemonStatus> status) throws IOException {
        Objects.requireNonNull(status, "status");
        if (address.isUnresolved()) {
            throw new IOException("metrics: cannot resolve host " + address.getHostString());
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new StatusCollector(status));
        ExecutorService requests = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("ferry-metrics-", 0).factory());
        HTTPServer server;
        try {
            server = HTTPServer.builder().inetAddress(address.getAddress()).port(address.getPort())
                    .registry(registry).executorService(requests).buildAndStart();
        } catch (IOException e) {
            requests.shutdownNow();
            throw new IOException("metrics: cannot listen on " + hostPort(address) + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = new InetSocketAddress(address.getAddress(), server.getPort());
        if (!address.getAddress().isLoopbackAddress()) {
            log.warn("metrics endpoint listen={} is reachable from other hosts and has no authentication; folder"
                    + " paths and target addresses are in its labels (use 127.0.0.1:PORT, or a firewall)",
                    hostPort(bound));
        }
        log.info("metrics endpoint listening on http://{}/metrics", hostPort(bound));
        return new MetricsEndpoint(server, requests, bound);
    }

    /** The bound address (the real port when started with port 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops listening and ends the requests in flight; a scrape after this gets a refused connection. */
    @Override
    public void close() {
        try {
            server.close();
        } finally {
            requests.shutdownNow();
        }
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
