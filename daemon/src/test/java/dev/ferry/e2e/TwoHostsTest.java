package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.NetNs;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts: {@code ferry daemon} in namespace A pushes a 64 MiB folder to {@code ferry receive} in namespace B,
 * over a veth link rate-limited to 100 Mbit/s with tc tbf, through a {@link FaultProxy} process that adds 25 ms
 * each way (this kernel has no netem). Skipped where namespaces cannot be made.
 *
 * <p>The proxy runs in B, in front of a receiver that listens on 127.0.0.1 only: every byte from A has to pass the
 * proxy, and the daemon's own TCP connections cross the veth, so a flap hits the daemon's sockets as a real one
 * would (its segments are lost, its send buffer fills, its writes block, the far end's reset arrives once the link
 * is back). With the proxy in A the daemon would talk to a loopback peer that keeps accepting bytes while the link
 * is down, and would learn of a break only from the proxy passing a reset on.
 *
 * <p>A flap is invisible to ferry unless it outlasts a timeout: TCP retransmits once the link is back. So there
 * are two flap tests: one shorter than every timeout (the same connections carry on), and one longer than the
 * receiver's {@code read-timeout} (set to 3 s here), after which the sessions are gone and the daemon has to
 * notice, reconnect and resume the files that were in flight, by itself.
 *
 * <p>Timings of each run are printed to stdout (surefire keeps them in {@code target/surefire-reports}).
 */
class TwoHostsTest {
    static final int MIB = 1024 * 1024;
    static final long TREE_BYTES = 64L * MIB;
    /** 64 MiB of payload alone is 537 Mbit: at least 5.4 s on the shaped link; less means it was not shaped. */
    static final long LEAST_TRANSFER_MS = 5_000;
    static final Duration START = Duration.ofSeconds(30);
    static final Duration SYNC = Duration.ofSeconds(60);
    static final Duration RECEIVER_GIVES_UP = Duration.ofSeconds(15);
    static final Duration SHORT_FLAP = Duration.ofSeconds(3);
    /** Connections from the daemon to the target; each is a receiver session that a long flap breaks. */
    static final int CONNECTIONS = 2;

    static final Pattern SYNC_READY = Pattern.compile("sync ready pair=\\S+ target=\\S+ elapsed=(\\d+)ms");
    static final Pattern UNREACHABLE = Pattern.compile("target=\\S+ is unreachable: ");
    static final Pattern REACHABLE_AGAIN = Pattern.compile("target=\\S+ is reachable again$");
    static final Pattern DROPPED_IDLE = Pattern.compile("dropping idle peer=\\S+ folder=photos: no frame for ");
    static final Pattern LOST = Pattern.compile("connection to peer=\\S+ lost");
    static final Pattern COMMITTED = Pattern.compile("committed folder=\\S+ path=(\\S+) peer=\\S+ size=\\d+ chunks=(\\d+) reused=\\d+ resumed=(\\d+) ");
    static final Pattern STATS = Pattern.compile("^stats accepted=(\\d+) .* bytes-up=(\\d+) ");

    @TempDir
    static Path shared;
    static Path source;

    @TempDir
    Path tmp;
    NetNs net;
    final List<FerryProcess> processes = new ArrayList<>();
    Path token;
    Path target;
    FerryProcess receiver;
    FerryProcess proxy;
    int proxyPort;

    @BeforeAll
    static void needNamespacesAndATree() throws IOException {
        NetNs.Availability a = NetNs.availability();
        assumeTrue(a.ok(), "network namespaces unavailable, skipping: " + a.reason());
        source = Files.createDirectories(shared.resolve("source"));
        for (int i = 0; i < 16; i++) {
            Trees.randomFile(source.resolve("dir" + i % 4 + "/file" + i + ".bin"), 3 * MIB, i);
        }
        Trees.randomFile(source.resolve("big/video.bin"), 16 * MIB, 99);
    }

    @BeforeEach
    void createHosts() throws IOException {
        token = Secrets.write(tmp.resolve("token"), "two-hosts-token-0123456789abcdef\n");
        target = Files.createDirectories(tmp.resolve("target"));
        net = NetNs.create();
        net.shape("100mbit");
    }

    @AfterEach
    void tearDown() throws IOException {
        IOException failure = null;
        for (FerryProcess p : processes) {
            try {
                p.close();
            } catch (IOException e) {
                failure = chain(failure, e);
            }
        }
        try {
            if (net != null) {
                net.close();
            }
        } catch (IOException e) {
            failure = chain(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void syncs64MiBOverAShapedLinkWithAddedDelayByteIdentical() throws IOException {
        startReceiverAndProxyInB(Duration.ofSeconds(60));
        FerryProcess daemon = startDaemonInA();

        long elapsedMs = Long.parseLong(daemon.awaitLog(SYNC_READY, SYNC).group(1));

        assertConverged();
        assertThat(elapsedMs).as("sync time; 64 MiB cannot cross a 100 Mbit/s link faster").isGreaterThanOrEqualTo(
                LEAST_TRANSFER_MS);
        assertThat(bytesUp()).as("bytes through the delaying proxy").isGreaterThanOrEqualTo(TREE_BYTES);
        assertThat(count(daemon, UNREACHABLE)).as("state changes on a healthy link").isZero();
        report("clean sync: elapsed=%dms (%.1f Mbit/s of payload)", elapsedMs, TREE_BYTES * 8 / 1000.0 / elapsedMs);
    }

    @Test
    void aFlapShorterThanEveryTimeoutIsRiddenOutOnTheSameConnections() throws IOException, InterruptedException {
        startReceiverAndProxyInB(Duration.ofSeconds(60));
        FerryProcess daemon = startDaemonInA();
        awaitArrived(TREE_BYTES / 4);
        long acceptedBefore = accepted();

        Instant down = Instant.now();
        net.linkDown();
        Thread.sleep(SHORT_FLAP);
        long arrivedAtUp = arrived();
        net.linkUp();
        Instant up = Instant.now();
        Duration flowingAfter = awaitArrived(arrivedAtUp + 1);
        daemon.awaitLog(SYNC_READY, SYNC);

        assertConverged();
        assertThat(count(daemon, UNREACHABLE)).as("daemon state changes").isZero();
        assertThat(count(receiver, DROPPED_IDLE) + count(receiver, LOST)).as("sessions the receiver lost").isZero();
        assertThat(accepted()).as("connections through the proxy: no reconnect").isEqualTo(acceptedBefore);
        assertThat(committed(receiver)).as("committed files").hasSize(17)
                .allSatisfy(c -> assertThat(c.group(3)).as("resumed chunks of %s", c.group(1)).isEqualTo("0"));
        report("short flap: down=%dms, data flowed again %dms after link up (TCP retransmission backoff)",
                Duration.between(down, up).toMillis(), flowingAfter.toMillis());
    }

    @Test
    void aFlapThatOutlastsTheReceiversReadTimeoutIsRecoveredAndResumedWithoutOperatorAction()
            throws IOException {
        startReceiverAndProxyInB(Duration.ofSeconds(3));
        FerryProcess daemon = startDaemonInA();
        awaitArrived(TREE_BYTES / 4);
        long arrivedAtDown = arrived();

        Instant down = Instant.now();
        net.linkDown();
        await().atMost(RECEIVER_GIVES_UP).pollInterval(Duration.ofMillis(20))
                .until(() -> count(receiver, DROPPED_IDLE) == CONNECTIONS); // every connection is busy at a quarter
        net.linkUp();
        Instant up = Instant.now();
        Instant unreachable = awaitLogTime(daemon, UNREACHABLE);
        Instant back = awaitLogTime(daemon, REACHABLE_AGAIN);
        daemon.awaitLog(SYNC_READY, SYNC);

        assertConverged();
        assertThat(count(daemon, UNREACHABLE)).as("'is unreachable' lines").isOne();
        assertThat(count(daemon, REACHABLE_AGAIN)).as("'is reachable again' lines").isOne();
        assertThat(unreachable).as("unreachable before reachable again").isBefore(back);
        List<MatchResult> resumed = committed(receiver).stream().filter(c -> Integer.parseInt(c.group(3)) > 0).toList();
        assertThat(resumed).as("files committed with resumed chunks (the ones in flight at the flap)").isNotEmpty()
                .allSatisfy(c -> assertThat(Integer.parseInt(c.group(3))).isLessThanOrEqualTo(Integer.parseInt(c.group(2))));
        report("long flap: %d MiB had arrived; down=%dms (receiver read-timeout 3s); daemon noticed %dms after link up;"
                        + " reachable again %dms later; resumed %s", arrivedAtDown / MIB, Duration.between(down, up).toMillis(),
                Duration.between(up, unreachable).toMillis(), Duration.between(unreachable, back).toMillis(),
                resumed.stream().map(c -> c.group(1) + "=" + c.group(3) + "/" + c.group(2)).toList());
    }

    /** {@code ferry receive} on B's 127.0.0.1 only, and the proxy on B's veth address in front of it. */
    void startReceiverAndProxyInB(Duration readTimeout) throws IOException {
        Path config = Files.writeString(tmp.resolve("receiver.yaml"), """
                transport: plaintext
                state-dir: %s
                receive:
                  listen: 127.0.0.1:0
                  token-file: %s
                  read-timeout: %ds
                  folders:
                    photos:
                      path: %s
                """.formatted(tmp.resolve("state-b"), token, readTimeout.toSeconds(), target));
        receiver = start(FerryProcess.ferry("receive", "--config", config.toString()) // (one line per file: DEBUG)
                .env("FERRY_LOG_LEVEL", "DEBUG"), net.b());
        int receiverPort = receiver.awaitReceiverPort(START);
        proxy = start(FerryProcess.java(FaultProxy.class, "--listen", NetNs.ADDRESS_B + ":0", "--upstream",
                "127.0.0.1:" + receiverPort, "--delay", "25ms"), net.b());
        proxyPort = proxy.awaitListeningPort(START);
    }

    /** {@code ferry daemon} with one pair whose target is the proxy in B. */
    FerryProcess startDaemonInA() throws IOException {
        Path config = Files.writeString(tmp.resolve("sender.yaml"), """
                transport: plaintext
                state-dir: %s
                sync:
                  - source: %s
                    targets: [ "ferry://%s:%d/photos" ]
                    token-file: %s
                    connections: %d
                """.formatted(tmp.resolve("state-a"), source, NetNs.ADDRESS_B, proxyPort, token, CONNECTIONS));
        return start(FerryProcess.ferry("daemon", "--config", config.toString()), net.a());
    }

    FerryProcess start(FerryProcess.Builder b, String ns) throws IOException {
        FerryProcess p = b.prefix(net.prefix(ns)).logDir(tmp).start();
        processes.add(p);
        return p;
    }

    /** The bytes that reached B's folder so far: synced files and partial ones, sidecars left out. */
    long arrived() {
        try (Stream<Path> s = Files.walk(target)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".side")).mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException gone) {
                    return 0; // a partial renamed into place meanwhile: counted under its final name next time
                }
            }).sum();
        } catch (IOException | UncheckedIOException gone) {
            return 0; // a directory walked into vanished; the next poll sees the tree settled
        }
    }

    /** Waits until {@code bytes} have arrived; returns how long that took. */
    Duration awaitArrived(long bytes) {
        long start = System.nanoTime();
        await().atMost(SYNC).pollInterval(Duration.ofMillis(10)).until(() -> arrived() >= bytes);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    void assertConverged() {
        await().atMost(SYNC).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> Trees.assertIdentical(source, target));
    }

    long accepted() {
        return Long.parseLong(proxy.request("stats", STATS, START).group(1));
    }

    long bytesUp() {
        return Long.parseLong(proxy.request("stats", STATS, START).group(2));
    }

    static long count(FerryProcess p, Pattern pattern) {
        return p.logLines().stream().filter(l -> pattern.matcher(l).find()).count();
    }

    static List<MatchResult> committed(FerryProcess receiver) {
        return receiver.logLines().stream().map(COMMITTED::matcher).filter(Matcher::find).map(Matcher::toMatchResult)
                .toList();
    }

    /** Waits for a line matching {@code pattern}; returns the timestamp it starts with (ferry logs one first). */
    static Instant awaitLogTime(FerryProcess p, Pattern pattern) {
        p.awaitLog(pattern, SYNC);
        String line = p.logLines().stream().filter(l -> pattern.matcher(l).find()).findFirst().orElseThrow();
        return OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
    }

    static IOException chain(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    static void report(String format, Object... args) {
        System.out.println("TwoHostsTest " + String.format(format, args));
    }
}
