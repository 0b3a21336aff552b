package dev.ferry.daemon;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.push.PushException;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Daemon#reload} in this JVM, from a real config file, with real receivers on 127.0.0.1: the receive section
 * and the sync entries start, stop and restart as the file says, and a part that cannot start leaves the rest running
 * (a receiver gets its previous settings back). The same through signals, in real processes: {@code SignalsTest}.
 */
class DaemonReloadTest {
    static final String TOKEN = "reload-test-token-0123456789abcdef";

    @TempDir
    Path tmp;
    Path token;
    Path config;
    final List<AutoCloseable> open = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        token = Secrets.write(tmp.resolve("token"), TOKEN);
        config = tmp.resolve("ferry.yaml");
        for (String d : List.of("in-a", "in-b", "src", "mirror")) {
            Files.createDirectories(tmp.resolve(d));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    static ReceiverSettings settings(ReceiveConfig rc) {
        try {
            return ReceiverSettings.of(new InetSocketAddress(rc.listen().host(), rc.listen().port()),
                    Token.read(rc.tokenFile()), rc.folders(), rc.maxConnections(), rc.readTimeout(), false,
                    rc.maxFileSize(), rc.trash(), rc.partialMaxAge());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Daemon start() throws Exception {
        Daemon d = Daemon.start(ConfigLoader.load(config), DaemonReloadTest::settings, new Daemon.Listener() {
            @Override
            public void ready(String summary) {
                events.add("ready " + summary);
            }

            @Override
            public void reloading() {
                events.add("reloading");
            }

            @Override
            public void reloaded(String summary) {
                events.add("reloaded " + summary);
            }

            @Override
            public void stopping() {
                events.add("stopping");
            }
        });
        open.add(d);
        return d;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    void writeReceive(int port, String folders) throws IOException {
        Files.writeString(config, """
                transport: plaintext
                state-dir: %s
                receive:
                  listen: 127.0.0.1:%d
                  token-file: %s
                  folders:
                %s""".formatted(tmp.resolve("state"), port, token, folders));
    }

    static String folder(String name, Path dir) {
        return "    " + name + ": {path: " + dir + "}\n";
    }

    void pushInto(int port, String folder, Path source) throws PushException {
        Pusher.push(source, true, "", Loopback.pushSettings(port, folder, Token.of(TOKEN)));
    }

    @Test
    void anAddedFolderRestartsTheReceiverWhichThenTakesPushesIntoIt() throws Exception {
        int port = freePort();
        writeReceive(port, folder("a", tmp.resolve("in-a")));
        Daemon d = start();
        Trees.randomFile(tmp.resolve("src/one.bin"), 5000, 1);
        assertThatThrownBy(() -> pushInto(port, "b", tmp.resolve("src"))).isInstanceOf(PushException.class);

        writeReceive(port, folder("a", tmp.resolve("in-a")) + folder("b", tmp.resolve("in-b")));
        String summary = d.reload();

        assertThat(summary).isEqualTo("reload: pairs added=[] removed=[] restarted=[] unchanged=0;"
                + " receiver restarted (folders +b)");
        pushInto(port, "b", tmp.resolve("src"));
        Trees.assertIdentical(tmp.resolve("src"), tmp.resolve("in-b"));
        assertThat(d.config().receive().orElseThrow().folders()).containsOnlyKeys("a", "b");
        d.close();
        assertThat(events).containsExactly("ready daemon running: receiver=/127.0.0.1:" + port + " pairs=0", "reloading",
                "reloaded " + summary, "stopping");
    }

    @Test
    void aReceiverWhoseNewAddressIsTakenGetsItsPreviousSettingsBack() throws Exception {
        int port = freePort();
        writeReceive(port, folder("a", tmp.resolve("in-a")));
        Daemon d = start();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            writeReceive(taken.getLocalPort(), folder("a", tmp.resolve("in-a")));

            String summary = d.reload();

            assertThat(summary).startsWith("reload: pairs added=[] removed=[] restarted=[] unchanged=0; receiver restarted"
                    + " (listen); FAILED: the receiver on 127.0.0.1:" + taken.getLocalPort() + " did not start: cannot listen on")
                    .endsWith("(what failed is not running; fix it and reload again)");
        }
        Receiver r = d.receiver().orElseThrow();
        assertThat(r.address().getPort()).isEqualTo(port);
        assertThat(d.config().receive().orElseThrow().listen().port()).isEqualTo(port);
        Trees.randomFile(tmp.resolve("src/one.bin"), 5000, 2);
        pushInto(port, "a", tmp.resolve("src"));
        Trees.assertIdentical(tmp.resolve("src"), tmp.resolve("in-a"));
    }

    @Test
    void aChangedPairRestartsWithItsNewSettingsAndARemovedReceiverStops() throws Exception {
        Receiver mirror = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("m", tmp.resolve("mirror"))));
        open.add(mirror);
        int port = freePort();
        String sync = """
                sync:
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%d/m" ]
                    token-file: %s
                """.formatted(tmp.resolve("src"), mirror.address().getPort(), token);
        writeReceive(port, folder("a", tmp.resolve("in-a")));
        Files.writeString(config, Files.readString(config) + sync);
        Daemon d = start();
        Trees.randomFile(tmp.resolve("src/one.bin"), 5000, 3);
        awaitMirror(tmp.resolve("src"), tmp.resolve("mirror"));

        Files.writeString(config, "transport: plaintext\nstate-dir: " + tmp.resolve("state") + "\n" + sync + "    debounce: 50ms\n");
        String summary = d.reload();

        assertThat(summary).isEqualTo("reload: pairs added=[] removed=[] restarted=[" + tmp.resolve("src")
                + " (debounce)] unchanged=0; receiver stopped");
        assertThat(d.receiver()).isEmpty();
        assertThat(d.pairs()).hasSize(1);
        assertThat(d.pairs().getFirst().config().debounce()).isEqualTo(Duration.ofMillis(50));
        Trees.randomFile(tmp.resolve("src/two.bin"), 7000, 4);
        awaitMirror(tmp.resolve("src"), tmp.resolve("mirror"));
        assertThat(d.reload()).isEqualTo("reload: nothing changed");
        FerryConfig now = d.config();
        assertThat(now.sync()).hasSize(1);
    }

    static void awaitMirror(Path from, Path to) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> Trees.assertIdentical(from, to));
    }
}
