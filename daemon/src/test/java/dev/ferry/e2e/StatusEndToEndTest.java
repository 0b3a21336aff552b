package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.status.ControlClient;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.PairStatus;
import dev.ferry.status.ReceiverStatus;
import dev.ferry.status.StatusJson;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry status} against a real {@code ferry daemon} process that syncs four pairs into a real {@code ferry
 * receive} process, each pair held in one of the states an operator must be able to see: a transfer in progress (a
 * {@link FaultProxy} slows the link with a 1 s delay, then holds it once the daemon reports acknowledged bytes), an
 * auth failure (a wrong token), a parked
 * file (bigger than the receiver's max-file-size: refused {@code PARK_AFTER} times in a row), and a guarded source
 * (emptied after its first sync). The daemon runs as systemd would start it, with {@code $RUNTIME_DIRECTORY}, and
 * {@code ferry status} finds its socket there without being told. The receiver's own control socket shows the same
 * transfer from its side.
 *
 * <p>Threads: the test thread and the proxy's; the processes are its children.
 */
class StatusEndToEndTest {
    static final Duration START = Duration.ofSeconds(30);
    static final Duration STATES = Duration.ofSeconds(60);
    static final String TOKEN = "status-e2e-token-0123456789abcdef";
    /** Under the receiver's max-file-size (32 MiB); at most 4 MiB/s through the proxy's 1 s delay: about 8 s. */
    static final int BIG = 30 << 20;

    @TempDir
    Path tmp;
    FerryProcess receiver;
    FaultProxy proxy;
    FerryProcess daemon;
    Path runtime;
    int port;

    @BeforeEach
    void receiver() throws IOException {
        Path token = Secrets.write(tmp.resolve("token"), TOKEN + "\n");
        StringBuilder folders = new StringBuilder();
        for (String f : List.of("mirror", "auth", "guarded", "parked")) {
            Files.createDirectories(tmp.resolve("src-" + f));
            folders.append("    ").append(f).append(":\n      path: ").append(Files.createDirectories(tmp.resolve("dst-" + f)))
                    .append('\n');
        }
        Path config = Files.writeString(tmp.resolve("receiver.yaml"), """
                transport: plaintext
                state-dir: %s
                receive:
                  listen: 127.0.0.1:0
                  token-file: %s
                  durability: none
                  max-file-size: 32MiB
                  folders:
                %s""".formatted(tmp.resolve("receiver-state"), token, folders));
        receiver = FerryProcess.ferry("receive", "--config", config.toString(), "--control-socket",
                tmp.resolve("receiver.sock").toString()).logDir(tmp.resolve("logs")).start();
        port = receiver.awaitReceiverPort(START);
        proxy = new FaultProxy(new InetSocketAddress("127.0.0.1", port));
        runtime = tmp.resolve("run");
        Files.createDirectory(runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @AfterEach
    void stop() throws IOException {
        try (FerryProcess r = receiver; FaultProxy p = proxy; FerryProcess d = daemon) {
            // closed in reverse order, each even if another fails
        }
    }

    String pair(String name, int port, Path tokenFile, String extra) {
        return """
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%d/%s" ]
                    token-file: %s
                    connections: 1
                %s""".formatted(tmp.resolve("src-" + name), port, name, tokenFile, extra);
    }

    @Test
    void statusJsonShowsATransferInProgressAnAuthFailureAParkedFileAndAGuardedSource() throws Exception {
        Files.writeString(tmp.resolve("src-mirror/small.txt"), "first sync");
        Files.writeString(tmp.resolve("src-auth/a.txt"), "a");
        Files.writeString(tmp.resolve("src-guarded/a.txt"), "a");
        Files.writeString(tmp.resolve("src-guarded/b.txt"), "b");
        try (RandomAccessFile huge = new RandomAccessFile(tmp.resolve("src-parked/huge.bin").toFile(), "rw")) {
            huge.setLength(33L << 20); // sparse, over the receiver's max-file-size
        }
        Files.writeString(tmp.resolve("src-parked/ok.txt"), "ok");
        Path wrongToken = Secrets.write(tmp.resolve("wrong-token"), "not-the-receivers-token-0123456789\n");
        Path token = tmp.resolve("token");
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), "transport: plaintext\nstate-dir: " + tmp.resolve("state")
                + "\nshutdown-timeout: 5s\nsync:\n"
                + pair("mirror", proxy.port(), token, "    chunk-size: 1MiB\n")
                + pair("auth", port, wrongToken, "")
                + pair("guarded", port, token, "    rescan-interval: 1s\n")
                + pair("parked", port, token, ""));
        daemon = FerryProcess.ferry("daemon", "--config", config.toString()).env("RUNTIME_DIRECTORY", runtime.toString())
                .logDir(tmp.resolve("logs")).start();
        daemon.awaitLog(Pattern.compile("control socket at "), START);
        Path socket = runtime.resolve("control.sock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");

        awaitTarget(socket, "guarded", t -> t.state() == SyncState.IN_SYNC);
        awaitTarget(socket, "mirror", t -> t.state() == SyncState.IN_SYNC);
        Files.move(tmp.resolve("src-guarded"), tmp.resolve("aside"));
        Files.createDirectory(tmp.resolve("src-guarded"));
        awaitTarget(socket, "auth", t -> t.state() == SyncState.AUTH_FAILED);
        awaitTarget(socket, "parked", t -> t.state() == SyncState.PARKED);
        awaitTarget(socket, "guarded", t -> t.state() == SyncState.SOURCE_GUARDED);

        proxy.delay(Duration.ofSeconds(1));
        Trees.randomFile(tmp.resolve("big.bin"), BIG, 1);
        Files.move(tmp.resolve("big.bin"), tmp.resolve("src-mirror/big.bin")); // whole, in one event
        awaitTarget(socket, "mirror", t -> t.state() == SyncState.SYNCING && t.inFlight() != null
                && t.inFlight().bytesDone() > 0);
        proxy.stall(); // both ways: the transfer stays where it is while ferry status looks

        FerryProcess cli = FerryProcess.ferry("status", "--json").env("RUNTIME_DIRECTORY", runtime.toString())
                .logDir(tmp.resolve("logs")).start();
        assertThat(cli.awaitExit(START)).isZero();
        String json = String.join("\n", cli.logLines());
        cli.close();
        assertThat(json).contains("\"state\" : \"syncing\"", "\"state\" : \"auth-failed\"", "\"state\" : \"parked\"",
                "\"state\" : \"source-guarded\"");
        DaemonStatus status = StatusJson.read(json);
        assertThat(status.pid()).isEqualTo(daemon.pid());
        assertThat(status.receiver()).as("this daemon receives nothing").isNull();
        assertThat(status.pairs()).extracting(PairStatus::source).containsExactly(
                List.of("mirror", "auth", "guarded", "parked").stream().map(n -> real("src-" + n)).toArray(String[]::new));

        TargetStatus mirror = target(status, "mirror");
        assertThat(mirror.target()).isEqualTo("ferry://127.0.0.1:" + proxy.port() + "/mirror");
        assertThat(mirror.inFlight().path()).isEqualTo("big.bin");
        assertThat(mirror.inFlight().size()).isEqualTo(BIG);
        assertThat(mirror.inFlight().bytesDone()).isBetween(1L, BIG - 1L);
        assertThat(mirror.filesPending()).isEqualTo(1);
        assertThat(mirror.bytesPending()).isEqualTo(BIG - mirror.inFlight().bytesDone());
        assertThat(mirror.lastSync()).isNotNull();

        TargetStatus auth = target(status, "auth");
        assertThat(auth.lastError()).contains("AUTH_FAILED").doesNotContain(TOKEN);
        assertThat(auth.counters().authFailures()).isPositive();
        assertThat(auth.lastSync()).isNull();

        TargetStatus parked = target(status, "parked");
        assertThat(parked.parked()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("huge.bin");
            assertThat(p.reason()).isEqualTo("'huge.bin' is 34603008 bytes, this receiver accepts at most 33554432 (TOO_LARGE)");
            assertThat(p.retryAt()).isAfter(status.takenAt());
        });
        assertThat(Files.readString(tmp.resolve("dst-parked/ok.txt"))).isEqualTo("ok");

        PairStatus guarded = status.pairs().get(2);
        assertThat(guarded.guardReason()).isEqualTo("source is empty but entries were synced from it (unmounted?)");
        assertThat(tmp.resolve("dst-guarded/a.txt")).as("nothing deleted").exists();

        FerryProcess table = FerryProcess.ferry("status", "--socket", socket.toString()).logDir(tmp.resolve("logs")).start();
        assertThat(table.awaitExit(START)).isZero();
        List<String> lines = table.logLines();
        table.close();
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  127.0.0.1:" + port + "/auth").contains(" auth-failed "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("    sending big.bin: "));
        assertThat(lines).contains(real("src-mirror") + " (1 directory watched)");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("    parked huge.bin: 'huge.bin' is 34603008 bytes"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  source guarded: source is empty"));

        DaemonStatus receiving = ControlClient.fetch(tmp.resolve("receiver.sock"), Duration.ofSeconds(5));
        assertThat(receiving.pairs()).isEmpty();
        ReceiverStatus r = receiving.receiver();
        assertThat(r.listen()).isEqualTo("127.0.0.1:" + port);
        assertThat(r.folders()).containsExactly("auth", "guarded", "mirror", "parked");
        assertThat(r.peers()).anySatisfy(p -> assertThat(p.folder()).isEqualTo("mirror"));
        assertThat(r.transfers()).singleElement().satisfies(x -> {
            assertThat(x.folder()).isEqualTo("mirror");
            assertThat(x.path()).isEqualTo("big.bin");
            assertThat(x.size()).isEqualTo(BIG);
            assertThat(x.bytesDone()).isBetween(mirror.inFlight().bytesDone(), BIG - 1L);
        });
        assertThat(r.partialsKept()).as("big.bin's, being written").isEqualTo(1);
        assertThat(r.counters().authFailures()).isEqualTo(auth.counters().authFailures());

        FerryProcess second = FerryProcess.ferry("daemon", "--config", config.toString())
                .env("RUNTIME_DIRECTORY", runtime.toString()).logDir(tmp.resolve("logs")).start();
        assertThat(second.awaitExit(START)).as("a second daemon on the same socket").isEqualTo(1);
        assertThat(second.logLines()).contains("ferry: another ferry daemon answers at " + socket
                + "; stop it first, or give this one another state-dir");
        second.close();
        assertThat(ControlClient.fetch(socket, Duration.ofSeconds(5)).pid()).isEqualTo(daemon.pid());

        proxy.resume();
        assertThat(daemon.stop()).isZero();
        assertThat(socket).as("removed at a clean stop").doesNotExist();
    }

    String real(String name) {
        try {
            return tmp.resolve(name).toRealPath().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static TargetStatus target(DaemonStatus s, String folder) {
        return s.pairs().stream().flatMap(p -> p.targets().stream()).filter(t -> t.target().endsWith("/" + folder))
                .findFirst().orElseThrow();
    }

    /** Asks the daemon until its target {@code folder} satisfies {@code condition}; fails with the last answer. */
    void awaitTarget(Path socket, String folder, java.util.function.Predicate<TargetStatus> condition) {
        String[] last = {"(none)"};
        try {
            Awaitility.await(folder).atMost(STATES).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                last[0] = ControlClient.fetchJson(socket, Duration.ofSeconds(5));
                return condition.test(target(StatusJson.read(last[0]), folder));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("target " + folder + " not as expected; last status: " + last[0], e);
        }
    }
}
