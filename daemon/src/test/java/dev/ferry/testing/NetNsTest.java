package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two namespaces joined by a veth pair, with {@link TcpSink} and {@link TcpSource} (and {@link FaultProxy}, and
 * ferry itself) running as processes inside them. Skipped where namespaces cannot be made (not root, no iproute2,
 * no permission).
 */
class NetNsTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Pattern STATS = Pattern.compile("^stats connections=\\d+ bytes=\\d+$");

    @TempDir
    Path tmp;
    NetNs net;
    final List<FerryProcess> processes = new ArrayList<>();

    @BeforeAll
    static void needNamespaces() {
        NetNs.Availability a = NetNs.availability();
        assumeTrue(a.ok(), "network namespaces unavailable, skipping: " + a.reason());
    }

    @BeforeEach
    void create() throws IOException {
        net = NetNs.create();
    }

    @AfterEach
    void tearDown() throws IOException {
        for (FerryProcess p : processes) {
            p.close();
        }
        net.close();
        assertThat(NetNs.list()).doesNotContain(net.a(), net.b());
    }

    FerryProcess run(String ns, Class<?> main, String... args) throws IOException {
        return track(FerryProcess.java(main, args).prefix(net.prefix(ns)).logDir(tmp).start());
    }

    FerryProcess track(FerryProcess p) {
        processes.add(p);
        return p;
    }

    FerryProcess sinkInB() throws IOException {
        return run(net.b(), TcpSink.class, "--listen", NetNs.ADDRESS_B + ":0");
    }

    static Pattern line(String text) {
        return Pattern.compile("^" + Pattern.quote(text) + "$");
    }

    @Test
    void everyByteSentFromAArrivesInB() throws IOException {
        FerryProcess sink = sinkInB();
        int port = sink.awaitListeningPort(WAIT);

        FerryProcess source = run(net.a(), TcpSource.class, "--connect", NetNs.ADDRESS_B + ":" + port, "--bytes",
                "10000000");

        assertThat(source.awaitExit(WAIT)).isZero();
        source.awaitLog(line("acked 10000000"), Duration.ZERO);
        sink.awaitLog(line("closed connection=1 bytes=10000000"), WAIT);
    }

    @Test
    void aTcpConnectionSurvivesALinkFlap() throws IOException {
        FerryProcess sink = sinkInB();
        int port = sink.awaitListeningPort(WAIT);
        FerryProcess source = run(net.a(), TcpSource.class, "--connect", NetNs.ADDRESS_B + ":" + port, "--bytes",
                "1262144", "--pause-after", "1000000");
        source.awaitLog(line("wrote 1000000"), WAIT);
        String halfway = "stats connections=1 bytes=1000000";
        await().atMost(WAIT).until(() -> sink.request("stats", STATS, WAIT).group().equals(halfway));

        net.linkDown();
        source.send("go");
        source.awaitLog(line("sending the rest"), WAIT);
        assertThat(net.link(net.a())).contains("state DOWN");
        assertThat(sink.request("stats", STATS, WAIT).group()).as("nothing gets through while the link is down")
                .isEqualTo(halfway);
        assertThat(source.isAlive()).isTrue();
        net.linkUp();

        assertThat(source.awaitExit(WAIT)).as("source exit code").isZero();
        source.awaitLog(line("acked 1262144"), Duration.ZERO);
        sink.awaitLog(line("closed connection=1 bytes=1262144"), WAIT);
    }

    @Test
    void tbfRateLimitIsOnBothEndsOfTheLink() throws IOException {
        net.shape("100mbit");

        assertThat(net.qdisc(net.a())).contains("qdisc tbf").contains("rate 100Mbit");
        assertThat(net.qdisc(net.b())).contains("qdisc tbf").contains("rate 100Mbit");
    }

    @Test
    void faultProxyInBDelaysTrafficBetweenTheHosts() throws IOException {
        FerryProcess sink = run(net.b(), TcpSink.class, "--listen", "127.0.0.1:0");
        int sinkPort = sink.awaitListeningPort(WAIT);
        FerryProcess proxy = run(net.b(), FaultProxy.class, "--listen", NetNs.ADDRESS_B + ":0", "--upstream",
                "127.0.0.1:" + sinkPort, "--delay", "25ms");
        int proxyPort = proxy.awaitListeningPort(WAIT);

        FerryProcess source = run(net.a(), TcpSource.class, "--connect", NetNs.ADDRESS_B + ":" + proxyPort, "--bytes",
                "4000000");

        assertThat(source.awaitExit(WAIT)).isZero();
        source.awaitLog(line("acked 4000000"), Duration.ZERO);
        assertThat(proxy.request("stats", Pattern.compile("^stats .*"), WAIT).group())
                .contains("accepted=1 ").contains(" bytes-up=4000000 bytes-down=8 ").contains(" drops=0 ");
    }

    @Test
    void ferryPushesFromAToAReceiverInBThroughTheDelayingProxyOnAShapedLink() throws IOException {
        Path token = Secrets.write(tmp.resolve("token"), "test-token-0123456789abcdef\n");
        Path source = Files.createDirectories(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Trees.randomFile(source.resolve("one.bin"), 2 * 1024 * 1024 + 7, 1);
        Trees.randomFile(source.resolve("dir/two.bin"), 1000, 2);
        net.shape("100mbit");
        FerryProcess receiver = track(FerryProcess.ferry("receive", "--listen", "127.0.0.1:0", "--folder",
                "photos=" + target, "--token-file", token.toString()).prefix(net.prefix(net.b())).logDir(tmp).start());
        int receiverPort = receiver.awaitReceiverPort(WAIT);
        FerryProcess proxy = run(net.b(), FaultProxy.class, "--listen", NetNs.ADDRESS_B + ":0", "--upstream",
                "127.0.0.1:" + receiverPort, "--delay", "25ms");
        int proxyPort = proxy.awaitListeningPort(WAIT);

        FerryProcess push = track(FerryProcess.ferry("push", source + "/",
                "ferry://" + NetNs.ADDRESS_B + ":" + proxyPort + "/photos", "--token-file", token.toString())
                .prefix(net.prefix(net.a())).logDir(tmp).start());

        assertThat(push.awaitExit(WAIT)).as("push exit code").isZero();
        Trees.assertIdentical(source, target);
    }

    @Test
    void closeKillsWhatRunsInsideAndDeletesBothNamespaces() throws IOException {
        FerryProcess sink = sinkInB();
        sink.awaitListeningPort(WAIT);
        assertThat(NetNs.list()).contains(net.a(), net.b());
        assertThat(ProcessHandle.of(sink.pid()).flatMap(h -> h.info().command()))
                .as("ip netns exec execs java: the pid is the JVM's, so kill9() hits it")
                .hasValueSatisfying(c -> assertThat(c).endsWith("/java"));

        net.close();

        assertThat(sink.isAlive()).isFalse();
        assertThat(NetNs.list()).doesNotContain(net.a(), net.b());
    }
}
