package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Promtool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry daemon} as a real process with {@code metrics:} in its config, receiving and sending in one process
 * (a pair whose target is its own receiver, over 127.0.0.1): after a known push the scrape shows exact counter values
 * on both sides and passes {@code promtool check metrics}; a metrics port that is taken fails the start with exit 1.
 * Threads: the test thread only; the daemon is its child.
 */
class MetricsScrapeTest {
    static final Duration START = Duration.ofSeconds(30);
    static final String TOKEN = "metrics-test-token-0123456789abcdef";
    static final Pattern DAEMON_RUNNING = Pattern.compile("daemon running: ");

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void scrapeAfterAKnownPushShowsExactCountersOnBothSidesAndPassesPromtool() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        int receivePort = freePort();
        int metricsPort = freePort();
        Path config = config(receivePort, "metrics: 127.0.0.1:" + metricsPort + "\n");
        String labels = "pair=\"" + src.toRealPath() + "\",target=\"ferry://127.0.0.1:" + receivePort + "/t\"";

        try (FerryProcess daemon = FerryProcess.ferry("daemon", "--config", config.toString())
                .logDir(tmp.resolve("logs")).start()) {
            daemon.awaitLog(DAEMON_RUNNING, START);
            awaitScrape(metricsPort, s -> s.contains("ferry_target_state{" + inSync(labels) + "} 1.0"));

            // the known push: three files of 1000, 2000 and 3000 bytes (one chunk each), then one of them deleted
            for (int i = 1; i <= 3; i++) {
                Files.write(src.resolve("f" + i + ".bin"), new byte[i * 1000]);
            }
            awaitScrape(metricsPort, s -> s.contains("ferry_sender_sent_files_total{" + labels + "} 3.0")
                    && s.contains("ferry_receiver_committed_files_total 3.0"));
            Files.delete(src.resolve("f2.bin"));
            String scrape = awaitScrape(metricsPort,
                    s -> s.contains("ferry_sender_deletes_total{" + labels + "} 1.0")
                            && s.contains("ferry_target_state{" + inSync(labels) + "} 1.0"));

            List<String> lines = scrape.lines().toList();
            assertThat(lines).contains(
                    "ferry_sender_sent_files_total{" + labels + "} 3.0",
                    "ferry_sender_unchanged_files_total{" + labels + "} 0.0",
                    "ferry_sender_sent_bytes_total{" + labels + "} 6000.0",
                    "ferry_sender_wire_bytes_total{" + labels + "} 6000.0", // no compression: as many as sent
                    "ferry_sender_sent_chunks_total{" + labels + "} 3.0",
                    "ferry_sender_resent_chunks_total{" + labels + "} 0.0",
                    "ferry_sender_deletes_total{" + labels + "} 1.0",
                    "ferry_sender_renames_total{" + labels + "} 0.0",
                    "ferry_sender_auth_failures_total{" + labels + "} 0.0",
                    "ferry_target_pending_files{" + labels + "} 0.0",
                    "ferry_target_pending_bytes{" + labels + "} 0.0",
                    "ferry_target_parked_files{" + labels + "} 0.0",
                    "ferry_pair_watched_directories{pair=\"" + src.toRealPath() + "\"} 1.0",
                    "ferry_receiver_committed_files_total 3.0",
                    "ferry_receiver_received_bytes_total 6000.0",
                    "ferry_receiver_received_chunks_total 3.0",
                    "ferry_receiver_failed_files_total 0.0",
                    "ferry_receiver_auth_failures_total 0.0",
                    "ferry_transfer_latency_seconds_count 3",
                    "ferry_transfer_latency_seconds_bucket{le=\"+Inf\"} 3");
            assertThat(lines).noneMatch(l -> l.startsWith("ferry_sender_nacks_total"));
            assertThat(Files.exists(dst.resolve("f2.bin"))).isFalse();
            assertThat(Promtool.checkMetrics(scrape, tmp)).isEmpty();
            assertThat(daemon.stop()).isZero();
        }
    }

    @Test
    void aMetricsPortInUseFailsTheStartWithExitOneNamingTheAddress() throws Exception {
        Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(tmp.resolve("dst"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config(freePort(), "metrics: 127.0.0.1:" + taken.getLocalPort() + "\n");
            try (FerryProcess daemon = FerryProcess.ferry("daemon", "--config", config.toString())
                    .logDir(tmp.resolve("logs")).start()) {
                assertThat(daemon.awaitExit(START)).isEqualTo(1);
                assertThat(daemon.logLines()).contains("ferry: metrics: cannot listen on 127.0.0.1:"
                        + taken.getLocalPort() + ": Address already in use");
            }
        }
    }

    private Path config(int receivePort, String top) throws IOException {
        Path token = Secrets.write(tmp.resolve("token"), TOKEN + "\n");
        return Files.writeString(tmp.resolve("ferry.yaml"), """
                transport: plaintext
                state-dir: %s
                %sreceive:
                  listen: 127.0.0.1:%d
                  token-file: %s
                  folders:
                    t:
                      path: %s
                sync:
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%d/t" ]
                    token-file: %s
                    debounce: 10ms
                """.formatted(tmp.resolve("state"), top, receivePort, token, tmp.resolve("dst"), tmp.resolve("src"),
                receivePort, token));
    }

    private static String inSync(String labels) {
        return labels.replace(",target=", ",state=\"in sync\",target=");
    }

    /** Scrapes until {@code done} holds (the daemon commits and counts asynchronously); the last scrape. */
    private String awaitScrape(int port, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        String last = "";
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.body();
                if (r.statusCode() == 200 && done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("the scrape did not reach the expected values within " + START + "; last:\n" + last);
    }

    /** A port free a moment ago (the config needs it before the daemon starts; nothing else here binds ports). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
