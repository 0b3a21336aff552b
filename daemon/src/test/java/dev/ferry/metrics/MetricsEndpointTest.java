package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.PairStatus;
import dev.ferry.status.ReceiverCounters;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Promtool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {
    private static final String PAIR = "/srv/photos";
    private static final String T1 = "ferry://10.0.0.2:7878/photos";
    private static final String T2 = "ferry://10.0.0.3:7878/photos/backup";
    private static final String L1 = "pair=\"" + PAIR + "\",target=\"" + T1 + "\"";
    private static final String L2 = "pair=\"" + PAIR + "\",target=\"" + T2 + "\"";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private MetricsEndpoint endpoint;

    @TempDir
    Path scratch;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        http.close();
    }

    @Test
    void scrapeShowsEverySenderFamilyWithExactValuesAndLabels() throws Exception {
        List<String> lines = scrape(status()).lines().toList();

        assertThat(lines).contains(
                "ferry_build_info{version=\"0.1.0-test\"} 1.0",
                "ferry_start_time_seconds 1.7650368E9",
                "ferry_pair_watched_directories{pair=\"/srv/photos\"} 42.0",
                "ferry_target_pending_files{" + L1 + "} 7.0",
                "ferry_target_pending_bytes{" + L1 + "} 1048576.0",
                "ferry_target_parked_files{" + L1 + "} 1.0",
                "ferry_target_connections{" + L1 + "} 2.0",
                "ferry_target_journal_bytes{" + L1 + "} 65536.0",
                "ferry_target_last_sync_timestamp_seconds{" + L1 + "} 1.7650404E9",
                "ferry_sender_sent_files_total{" + L1 + "} 3.0",
                "ferry_sender_unchanged_files_total{" + L1 + "} 5.0",
                "ferry_sender_sent_bytes_total{" + L1 + "} 123456.0",
                "ferry_sender_wire_bytes_total{" + L1 + "} 100000.0",
                "ferry_sender_sent_chunks_total{" + L1 + "} 11.0",
                "ferry_sender_resent_chunks_total{" + L1 + "} 2.0",
                "ferry_sender_nacks_total{pair=\"/srv/photos\",reason=\"crc\",target=\"" + T1 + "\"} 1.0",
                "ferry_sender_nacks_total{pair=\"/srv/photos\",reason=\"hash\",target=\"" + T1 + "\"} 4.0",
                "ferry_sender_deletes_total{" + L1 + "} 1.0",
                "ferry_sender_renames_total{" + L1 + "} 6.0",
                "ferry_sender_auth_failures_total{" + L1 + "} 0.0",
                "ferry_sender_auth_failures_total{" + L2 + "} 9.0",
                "ferry_sender_sent_files_total{" + L2 + "} 0.0");
        // a target that never was in sync has no last-sync series; the other target has no NACK series
        assertThat(lines).noneMatch(l -> l.startsWith("ferry_target_last_sync_timestamp_seconds{" + L2));
        assertThat(lines).noneMatch(l -> l.startsWith("ferry_sender_nacks_total") && l.contains(T2));
        assertThat(lines).contains(
                "# HELP ferry_sender_sent_bytes_total Chunk bytes sent, re-sends included.",
                "# TYPE ferry_sender_sent_bytes_total counter",
                "# TYPE ferry_target_pending_files gauge");
    }

    @Test
    void targetStateIsOneGaugePerStateWithOneForTheCurrentState() throws Exception {
        List<String> state = scrape(status()).lines().filter(l -> l.startsWith("ferry_target_state{")).toList();

        // the client writes labels sorted by name: pair, state, target
        List<String> expected = new ArrayList<>();
        for (String target : List.of(T1, T2)) {
            for (SyncState s : SyncState.values()) {
                String current = target.equals(T1) ? "syncing" : "auth-failed";
                expected.add("ferry_target_state{pair=\"" + PAIR + "\",state=\"" + s.label() + "\",target=\"" + target
                        + "\"} " + (s.label().equals(current) ? "1.0" : "0.0"));
            }
        }
        assertThat(state).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void scrapeShowsEveryReceiverFamilyWithExactValues() throws Exception {
        List<String> lines = scrape(status()).lines().toList();

        assertThat(lines).contains(
                "ferry_receiver_connections{state=\"handshake\"} 1.0",
                "ferry_receiver_connections{state=\"active\"} 2.0",
                "ferry_receiver_transfers 1.0",
                "ferry_receiver_partial_files 4.0",
                "ferry_receiver_accepted_connections_total 101.0",
                "ferry_receiver_rejected_connections_total 102.0",
                "ferry_receiver_auth_failures_total 103.0",
                "ferry_receiver_protocol_errors_total 104.0",
                "ferry_receiver_received_chunks_total 105.0",
                "ferry_receiver_received_bytes_total 106.0",
                "ferry_receiver_reused_chunks_total 107.0",
                "ferry_receiver_resumed_chunks_total 108.0",
                "ferry_receiver_joined_chunks_total 117.0",
                "ferry_receiver_crc_mismatches_total 109.0",
                "ferry_receiver_hash_mismatches_total 110.0",
                "ferry_receiver_committed_files_total 111.0",
                "ferry_receiver_unchanged_files_total 112.0",
                "ferry_receiver_failed_files_total 113.0",
                "ferry_receiver_refused_paths_total 114.0",
                "ferry_receiver_deletes_total 115.0",
                "ferry_receiver_renames_total 116.0");
    }

    @Test
    void latencyHistogramBucketsAreCumulativeWithCountAndSum() throws Exception {
        List<String> histogram = scrape(status()).lines()
                .filter(l -> l.startsWith("ferry_transfer_latency_seconds")).toList();

        // recorded: 0.003 s, 0.004 s (le 0.005), 0.2 s (le 0.25), 7 s (le 10), 400 s (+Inf)
        assertThat(histogram).containsExactly(
                "ferry_transfer_latency_seconds_bucket{le=\"0.005\"} 2",
                "ferry_transfer_latency_seconds_bucket{le=\"0.01\"} 2",
                "ferry_transfer_latency_seconds_bucket{le=\"0.025\"} 2",
                "ferry_transfer_latency_seconds_bucket{le=\"0.05\"} 2",
                "ferry_transfer_latency_seconds_bucket{le=\"0.1\"} 2",
                "ferry_transfer_latency_seconds_bucket{le=\"0.25\"} 3",
                "ferry_transfer_latency_seconds_bucket{le=\"0.5\"} 3",
                "ferry_transfer_latency_seconds_bucket{le=\"1.0\"} 3",
                "ferry_transfer_latency_seconds_bucket{le=\"2.5\"} 3",
                "ferry_transfer_latency_seconds_bucket{le=\"5.0\"} 3",
                "ferry_transfer_latency_seconds_bucket{le=\"10.0\"} 4",
                "ferry_transfer_latency_seconds_bucket{le=\"30.0\"} 4",
                "ferry_transfer_latency_seconds_bucket{le=\"60.0\"} 4",
                "ferry_transfer_latency_seconds_bucket{le=\"300.0\"} 4",
                "ferry_transfer_latency_seconds_bucket{le=\"+Inf\"} 5",
                "ferry_transfer_latency_seconds_count 5",
                "ferry_transfer_latency_seconds_sum 407.207");
    }

    @Test
    void wholeScrapePassesPromtool() throws Exception {
        String text = scrape(status());

        assertThat(Promtool.checkMetrics(text, scratch)).isEmpty();
    }

    @Test
    void eachScrapeReadsAFreshSnapshotAndARemovedTargetVanishes() throws Exception {
        AtomicReference<DaemonStatus> current = new AtomicReference<>(status());
        endpoint = MetricsEndpoint.start(loopback(0), current::get);
        assertThat(get("/metrics").body()).contains("ferry_sender_sent_files_total{" + L2 + "} 0.0");

        DaemonStatus before = current.get();
        PairStatus pair = before.pairs().getFirst();
        current.set(new DaemonStatus(before.version(), before.pid(), before.startedAt(), before.takenAt(),
                List.of(new PairStatus(pair.source(), pair.watchedDirectories(), null, pair.targets().subList(0, 1))),
                null, before.transferLatency()));

        String after = get("/metrics").body();
        assertThat(after).contains("ferry_sender_sent_files_total{" + L1 + "} 3.0")
                .doesNotContain(T2).doesNotContain("ferry_receiver_");
    }

    @Test
    void daemonWithoutPairsOrReceiverStillAnswers() throws Exception {
        DaemonStatus empty = new DaemonStatus("0.1.0-test", 1, Instant.EPOCH, Instant.EPOCH, List.of(), null,
                new LatencyRecorder().snapshot());
        String text = scrape(empty);

        assertThat(text).contains("ferry_build_info{version=\"0.1.0-test\"} 1.0",
                "ferry_transfer_latency_seconds_count 0").doesNotContain("ferry_target_", "ferry_receiver_");
        assertThat(Promtool.checkMetrics(text, scratch)).isEmpty();
    }

    @Test
    void metricsAnswerInThePrometheusTextFormat() throws Exception {
        endpoint = MetricsEndpoint.start(loopback(0), MetricsEndpointTest::status);

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void busyPortFailsTheStartNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> MetricsEndpoint.start(loopback(taken.getLocalPort()), MetricsEndpointTest::status))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("metrics: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void anAddressOtherHostsCanReachIsServedWithAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(MetricsEndpoint.class)) {
            endpoint = MetricsEndpoint.start(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0),
                    MetricsEndpointTest::status);
            int port = endpoint.address().getPort();

            assertThat(get("/metrics").statusCode()).isEqualTo(200);
            assertThat(log.at(Level.WARN)).containsExactly("metrics endpoint listen=0.0.0.0:" + port + " is reachable"
                    + " from other hosts and has no authentication; folder paths and target addresses are in its"
                    + " labels (use 127.0.0.1:PORT, or a firewall)");
        }
    }

    @Test
    void aLoopbackAddressIsServedWithoutAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(MetricsEndpoint.class)) {
            endpoint = MetricsEndpoint.start(loopback(0), MetricsEndpointTest::status);

            assertThat(log.at(Level.WARN)).isEmpty();
            assertThat(log.at(Level.INFO)).containsExactly("metrics endpoint listening on http://127.0.0.1:"
                    + endpoint.address().getPort() + "/metrics");
        }
    }

    @Test
    void closeStopsListening() throws Exception {
        endpoint = MetricsEndpoint.start(loopback(0), MetricsEndpointTest::status);
        int port = endpoint.address().getPort();
        endpoint.close();
        endpoint = null;

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    // ---- helpers

    private String scrape(DaemonStatus status) throws Exception {
        endpoint = MetricsEndpoint.start(loopback(0), () -> status);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        endpoint.close();
        endpoint = null;
        return response.body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Two targets of one pair (one syncing with a NACK history, one refused for its token), and a receiver. */
    static DaemonStatus status() {
        SenderCounters c1 = new SenderCounters(3, 5, 123_456, 100_000, 11, 2, Map.of("hash", 4L, "crc", 1L), 1, 6, 0, 2,
                65_536);
        TargetStatus t1 = new TargetStatus(T1, SyncState.SYNCING, 7, 1_048_576,
                new TargetStatus.InFlight("a/b.jpg", 2_000_000, 1_000_000), 5_000_000,
                Instant.parse("2025-12-06T17:00:00Z"), null,
                List.of(new TargetStatus.ParkedFile("locked.db", "EACCES", Instant.parse("2025-12-06T18:00:00Z"))),
                c1);
        SenderCounters c2 = new SenderCounters(0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 9, 0, 0);
        TargetStatus t2 = new TargetStatus(T2, SyncState.AUTH_FAILED, 0, 0, null, 0, null, "auth refused", List.of(),
                c2);
        ReceiverCounters rc = new ReceiverCounters(101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
                114, 115, 116, 117);
        ReceiverStatus receiver = new ReceiverStatus("127.0.0.1:7878", List.of("photos"),
                List.of(new ReceiverStatus.Peer("10.0.0.9:50000", null, Instant.EPOCH),
                        new ReceiverStatus.Peer("10.0.0.9:50001", "photos", Instant.EPOCH),
                        new ReceiverStatus.Peer("10.0.0.8:50002", "photos", Instant.EPOCH)),
                List.of(new ReceiverStatus.Transfer("photos", "x.bin", "10.0.0.9:50001", 100, 50)), 4, rc);
        LatencyRecorder latency = new LatencyRecorder();
        for (long millis : new long[] {3, 4, 200, 7_000, 400_000}) {
            latency.record(millis * 1_000_000);
        }
        return new DaemonStatus("0.1.0-test", 4242, Instant.parse("2025-12-06T16:00:00Z"),
                Instant.parse("2025-12-06T17:30:00Z"), List.of(new PairStatus(PAIR, 42, null, List.of(t1, t2))),
                receiver, latency.snapshot());
    }

    @Test
    void everyFamilyIsListedInTheMetricsPage() throws Exception {
        Set<String> families = new TreeSet<>();
        Matcher m = Pattern.compile("^# TYPE (\\S+) ", Pattern.MULTILINE).matcher(scrape(status()));
        while (m.find()) {
            families.add(m.group(1));
        }
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `([a-z_]+)` \\|", Pattern.MULTILINE)
                .matcher(Files.readString(repoRoot().resolve("docs/METRICS.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(families).as("the families a full scrape writes vs the rows of docs/METRICS.md")
                .hasSize(43).isEqualTo(documented);
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/METRICS.md"))) {
                return dir;
            }
        }
        throw new AssertionError("no docs/METRICS.md above " + Path.of("").toAbsolutePath());
    }
}
