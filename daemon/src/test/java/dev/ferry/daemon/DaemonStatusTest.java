package dev.ferry.daemon;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Daemon#status()} against a real receiver on 127.0.0.1 and a real watched source. */
@SuppressWarnings("try") // CapturedLog.quiet only silences the expected ERROR/WARN lines
class DaemonStatusTest {
    static final String TOKEN = "daemon-status-token-0123456789";

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Path tokenFile;
    Receiver receiver;
    Daemon daemon;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, TOKEN);
    }

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    void startReceiver(long maxFileSize) throws IOException {
        receiver = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("mirror", target))
                .withMaxFileSize(maxFileSize));
    }

    void startDaemon(PairOptions options, Duration rescanInterval) throws IOException {
        FerryUri uri = new FerryUri("127.0.0.1", receiver.address().getPort(), "mirror", "");
        SyncConfig sc = new SyncConfig(source, List.of(uri), tokenFile, true, List.of(), 1 << 20,
                SyncConfig.DEFAULT_DEBOUNCE, rescanInterval, SyncConfig.DEFAULT_CONNECTIONS,
                SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_JOURNAL_COMMIT, SyncConfig.DEFAULT_READ_TIMEOUT,
                SyncConfig.DEFAULT_KEEP_ALIVE);
        FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), tmp.resolve("state"), Optional.empty(),
                List.of(sc));
        daemon = Daemon.start(config, rc -> {
            throw new AssertionError("no receive section");
        }, options);
    }

    TargetStatus target() {
        return daemon.status().pairs().getFirst().targets().getFirst();
    }

    void awaitState(SyncState state) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> target().state() == state);
    }

    @Test
    void afterAKnownSyncTheTargetIsInSyncWithExactCounters() throws Exception {
        startReceiver(1L << 30);
        Trees.randomFile(source.resolve("a.bin"), 3000, 1);
        Trees.randomFile(source.resolve("b.bin"), (1 << 20) + 5, 2); // two chunks of 1 MiB
        Files.writeString(source.resolve("gone.txt"), "to be deleted");
        startDaemon(PairOptions.defaults(), SyncConfig.DEFAULT_RESCAN_INTERVAL);
        DaemonSyncTest.awaitMirror(source, target);
        awaitState(SyncState.IN_SYNC);

        Files.delete(source.resolve("gone.txt"));
        DaemonSyncTest.awaitMirror(source, target);
        Files.writeString(source.resolve("new.txt"), "watched"); // after: it could take the deleted file's inode
        DaemonSyncTest.awaitMirror(source, target);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(target().counters())
                .returns(1L, SenderCounters::deletes).returns(4L, SenderCounters::filesSent));
        awaitState(SyncState.IN_SYNC);

        DaemonStatus status = daemon.status();
        assertThat(status.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.receiver()).isNull();
        assertThat(status.pairs()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(source.toRealPath().toString());
            assertThat(p.guarded()).isFalse();
            assertThat(p.watchedDirectories()).isEqualTo(1);
        });
        TargetStatus t = target();
        assertThat(t.target()).isEqualTo("ferry://127.0.0.1:" + receiver.address().getPort() + "/mirror");
        assertThat(t.filesPending()).isZero();
        assertThat(t.bytesPending()).isZero();
        assertThat(t.inFlight()).isNull();
        assertThat(t.lastSync()).isNotNull();
        assertThat(t.lastError()).isNull();
        assertThat(t.parked()).isEmpty();
        SenderCounters c = t.counters();
        long bytes = 3000 + (1 << 20) + 5 + "to be deleted".length() + "watched".length();
        assertThat(c.filesSent()).isEqualTo(4);
        assertThat(c.bytesSent()).isEqualTo(bytes);
        assertThat(c.wireBytes()).as("no compression: every byte raw").isEqualTo(bytes);
        assertThat(c.chunksSent()).isEqualTo(5);
        assertThat(c.chunksResent()).isZero();
        assertThat(c.nacksByReason()).isEmpty();
        assertThat(c.deletes()).isEqualTo(1);
        assertThat(c.renames()).isZero();
        assertThat(c.authFailures()).isZero();
        assertThat(c.journalBytes()).isPositive();
        assertThat(status.transferLatency().count()).as("new.txt was seen by the watcher and committed").isEqualTo(1);
    }

    @Test
    void aWrongTokenShowsAsAuthFailedWithTheReceiversAnswer() throws Exception {
        startReceiver(1L << 30);
        Secrets.write(tokenFile, "not-the-receivers-token-0123456789");
        try (CapturedLog ignored = CapturedLog.quiet(TargetReach.class)) {
            startDaemon(PairOptions.defaults(), SyncConfig.DEFAULT_RESCAN_INTERVAL);
            awaitState(SyncState.AUTH_FAILED);
        }
        TargetStatus t = target();
        assertThat(t.lastError()).contains("AUTH_FAILED").doesNotContain(TOKEN);
        assertThat(t.counters().authFailures()).isEqualTo(1);
        assertThat(t.lastSync()).isNull();
    }

    @Test
    void anUnreachableReceiverShowsAsRetrying() throws Exception {
        startReceiver(1L << 30);
        Files.writeString(source.resolve("a.txt"), "a");
        startDaemon(PairOptions.defaults(), SyncConfig.DEFAULT_RESCAN_INTERVAL);
        DaemonSyncTest.awaitMirror(source, target);
        receiver.close();
        try (CapturedLog ignored = CapturedLog.quiet(TargetReach.class)) {
            Files.writeString(source.resolve("b.txt"), "b");
            awaitState(SyncState.RETRYING);
            assertThat(target().lastError()).isNotNull();
            assertThat(target().filesPending()).isEqualTo(1);
        }
    }

    @Test
    void aFileTheReceiverKeepsRefusingIsParkedAndTheTargetSaysSo() throws Exception {
        startReceiver(1000);
        Trees.randomFile(source.resolve("big.bin"), 5000, 1);
        Files.writeString(source.resolve("a.txt"), "a");
        try (CapturedLog ignored = CapturedLog.quiet(TargetLink.class)) {
            startDaemon(PairOptions.defaults().withRetryDelay(Duration.ofMillis(20)), SyncConfig.DEFAULT_RESCAN_INTERVAL);
            awaitState(SyncState.PARKED);
        }
        TargetStatus t = target();
        assertThat(t.parked()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("big.bin");
            assertThat(p.reason()).isEqualTo("'big.bin' is 5000 bytes, this receiver accepts at most 1000 (TOO_LARGE)");
            assertThat(p.retryAt()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(9)));
        });
        assertThat(t.lastError()).isEqualTo("big.bin: " + t.parked().getFirst().reason());
        assertThat(t.filesPending()).isZero();
    }

    @Test
    void anEmptiedSourceShowsAsGuarded() throws Exception {
        startReceiver(1L << 30);
        Files.writeString(source.resolve("a.txt"), "a");
        Files.writeString(source.resolve("b.txt"), "b");
        startDaemon(PairOptions.defaults(), Duration.ofSeconds(1));
        DaemonSyncTest.awaitMirror(source, target);
        awaitState(SyncState.IN_SYNC);
        try (CapturedLog ignored = CapturedLog.quiet(dev.ferry.plan.SourceGuard.class)) {
            Files.move(source, tmp.resolve("aside"));
            Files.createDirectory(source);
            awaitState(SyncState.SOURCE_GUARDED);
        }
        assertThat(daemon.status().pairs().getFirst().guardReason())
                .isEqualTo("source is empty but entries were synced from it (unmounted?)");
    }
}
