package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverStats;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Secrets;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's start: one walk of the source, the first sync streamed during it, a restart that sends nothing. */
class DaemonStartupTest {
    static final String TOKEN = "daemon-startup-test-token-0123456789";
    static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Path tokenFile;
    Receiver receiver;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, TOKEN);
        receiver = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("mirror", target), 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        receiver.close();
    }

    Daemon startDaemon(PairOptions options) throws IOException {
        SyncConfig sc = new SyncConfig(source, List.of(new FerryUri("127.0.0.1", receiver.address().getPort(), "mirror", "")),
                tokenFile, true, List.of("*.tmp"), 1 << 20, SyncConfig.DEFAULT_DEBOUNCE, SyncConfig.DEFAULT_RESCAN_INTERVAL,
                SyncConfig.DEFAULT_CONNECTIONS, SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_JOURNAL_COMMIT,
                SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_KEEP_ALIVE);
        FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), tmp.resolve("state"), Optional.empty(), List.of(sc));
        Daemon d = Daemon.start(config, rc -> {
            throw new AssertionError("no receive section");
        }, options);
        open.add(d);
        return d;
    }

    void stop(Daemon d) throws Exception {
        d.close();
        open.remove(d);
    }

    void awaitMirror() {
        Awaitility.await().atMost(BOUND).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> Trees.assertIdentical(source, target));
    }

    void sourceOf(int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Trees.randomFile(source.resolve("d" + (i % 20) + "/f" + i), 700, i);
        }
    }

    /** Waits (bounded) while no target has listed yet, so that the walk has a listing to stream against. */
    static void awaitListing(int targetsListed) {
        if (targetsListed == 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theFirstFilesReachTheReceiverWhileTheFirstWalkGoesOn() throws Exception {
        sourceOf(3000);
        AtomicBoolean arrivedDuringWalk = new AtomicBoolean();
        AtomicBoolean asked = new AtomicBoolean();
        AtomicLong streamedAtEnd = new AtomicLong();
        FirstWalkProbe probe = (listed, streamed) -> {
            awaitListing(listed);
            streamedAtEnd.set(streamed);
            if (streamed > 0 && !asked.getAndSet(true)) {
                // the walk is held here, with most of the tree still to read: the first files must arrive anyway
                arrivedDuringWalk.set(awaitCommitted(1));
            }
        };

        Daemon d = startDaemon(PairOptions.defaults().withFirstWalkProbe(probe));

        assertThat(arrivedDuringWalk).as("a file committed while the first walk was held").isTrue();
        awaitMirror();
        assertThat(streamedAtEnd.get()).isEqualTo(3000);
        assertThat(d.pairs().getFirst().targets().getFirst().awaitReady(BOUND)).isTrue();
        // the reconcile after the walk did not send the streamed files a second time
        assertThat(receiver.stats().snapshot().filesCommitted()).isEqualTo(3000);
        assertThat(receiver.stats().snapshot().filesUnchanged()).isZero();
    }

    @Test
    void changesMadeDuringTheFirstWalkReachTheTarget() throws Exception {
        sourceOf(2000);
        AtomicBoolean changed = new AtomicBoolean();
        FirstWalkProbe probe = (listed, streamed) -> {
            awaitListing(listed);
            if (!changed.getAndSet(true)) {
                try { // some directories are listed already, others not: the watch or the walk sees each change
                    for (int i = 0; i < 20; i++) {
                        Files.writeString(source.resolve("d" + i + "/during-walk.txt"), "new in d" + i);
                    }
                    Trees.randomFile(source.resolve("d7/f7"), 900, 77);
                    Files.delete(source.resolve("d3/f3"));
                    Trees.randomFile(source.resolve("made-during-walk/sub/new.bin"), 1500, 5);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };

        startDaemon(PairOptions.defaults().withFirstWalkProbe(probe));

        assertThat(changed).isTrue();
        awaitMirror();
    }

    @Test
    void aRestartOnAnUnchangedTreeOffersNoFileAndSendsNoChunk() throws Exception {
        sourceOf(500);
        Files.createDirectories(source.resolve("empty/dir"));
        Files.createSymbolicLink(source.resolve("link"), Path.of("d1/f1"));
        Daemon first = startDaemon(PairOptions.defaults());
        awaitMirror();
        assertThat(first.pairs().getFirst().targets().getFirst().awaitReady(BOUND)).isTrue();
        stop(first);
        ReceiverStats.Snapshot before = receiver.stats().snapshot();

        Daemon second = startDaemon(PairOptions.defaults());
        assertThat(second.pairs().getFirst().targets().getFirst().awaitReady(BOUND)).isTrue();

        ReceiverStats.Snapshot after = receiver.stats().snapshot();
        assertThat(after.filesCommitted() - before.filesCommitted()).as("files committed").isZero();
        assertThat(after.filesUnchanged() - before.filesUnchanged()).as("files offered and found unchanged").isZero();
        assertThat(after.filesFailed() - before.filesFailed()).as("files failed").isZero();
        assertThat(after.chunksReceived() - before.chunksReceived()).as("chunks").isZero();
        assertThat(after.deletes() - before.deletes()).as("deletes").isZero();
        assertThat(after.renames() - before.renames()).as("renames").isZero();
        assertThat(after.connectionsAccepted() - before.connectionsAccepted()).as("connections: the one LIST").isEqualTo(1);
        assertThat(second.pairs().getFirst().filesHashed()).isZero();
    }

    @Test
    void theHeapIsTrimmedOnceWhenEveryTargetHasHadItsFirstSync() throws Exception {
        sourceOf(50);
        AtomicLong trims = new AtomicLong();
        Daemon d = startDaemon(PairOptions.defaults().withAfterFirstSync(trims::incrementAndGet));
        assertThat(d.pairs().getFirst().targets().getFirst().awaitReady(BOUND)).isTrue();
        Awaitility.await().atMost(BOUND).until(() -> trims.get() == 1);

        Files.writeString(source.resolve("d1/later.txt"), "a later change");
        awaitMirror();
        assertThat(trims.get()).isEqualTo(1);
    }

    private boolean awaitCommitted(long files) {
        long end = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < end) {
            if (receiver.stats().snapshot().filesCommitted() >= files) {
                return true;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
