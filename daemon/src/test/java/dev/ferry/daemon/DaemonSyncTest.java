package dev.ferry.daemon;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.index.Scanner;
import dev.ferry.path.RelativePath;
import dev.ferry.receive.Receiver;
import dev.ferry.plan.SourceGuard;
import dev.ferry.plan.SourceGuardTest;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import dev.ferry.watch.Change;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon against real receivers on 127.0.0.1 and a real (inotify) watched source. */
class DaemonSyncTest {
    static final String TOKEN = "daemon-test-token-0123456789";

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Path tokenFile;
    Path stateDir;
    Receiver receiver;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        stateDir = tmp.resolve("state");
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, TOKEN);
        receiver = startReceiver(target, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        receiver.close();
    }

    Receiver startReceiver(Path dir, int port) throws IOException {
        return Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("mirror", dir), port));
    }

    Daemon startDaemon(PairOptions options, int... ports) throws IOException {
        return startDaemon(options, SyncConfig.DEFAULT_RESCAN_INTERVAL, ports);
    }

    /** With a rescan interval of its own (the config's {@code rescan-interval}, which wins over the options'). */
    Daemon startDaemon(Duration rescanInterval) throws IOException {
        return startDaemon(PairOptions.defaults(), rescanInterval, receiver.address().getPort());
    }

    Daemon startDaemon(PairOptions options, Duration rescanInterval, int... ports) throws IOException {
        List<FerryUri> targets = new ArrayList<>();
        for (int p : ports) {
            targets.add(new FerryUri("127.0.0.1", p, "mirror", ""));
        }
        SyncConfig sc = new SyncConfig(source, targets, tokenFile, true, List.of("*.tmp", ".cache/"), 1 << 20,
                SyncConfig.DEFAULT_DEBOUNCE, rescanInterval, SyncConfig.DEFAULT_CONNECTIONS, SyncConfig.DEFAULT_CHUNK_ATTEMPTS,
                SyncConfig.DEFAULT_JOURNAL_COMMIT, SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_KEEP_ALIVE);
        FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), stateDir, Optional.empty(), List.of(sc));
        Daemon d = Daemon.start(config, rc -> {
            throw new AssertionError("no receive section");
        }, options);
        open.add(d);
        return d;
    }

    Daemon startDaemon() throws IOException {
        return startDaemon(PairOptions.defaults(), receiver.address().getPort());
    }

    static void awaitMirror(Path from, Path to) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> Trees.assertIdentical(from, to));
    }

    TargetLink link(Daemon d) {
        return d.pairs().getFirst().targets().getFirst();
    }

    @Test
    void aWrongTokenIsReportedOnceAsAnAuthenticationFailureAndRetriedOnlyAtTheLongBackoff() throws Exception {
        Secrets.write(tokenFile, "not-the-receivers-token-0123456789");
        try (CapturedLog log = CapturedLog.quiet(TargetReach.class)) {
            Daemon d = startDaemon();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> link(d).authFailed());
            Thread.sleep(1500); // the usual backoff (250 ms, doubling) would have tried 3 or 4 times more by now
            assertThat(receiver.stats().snapshot().authFailures()).as("attempts the receiver refused").isOne();
            assertThat(log.at(Level.ERROR)).singleElement().asString()
                    .startsWith("target=ferry://127.0.0.1:" + receiver.address().getPort() + "/mirror authentication failed:")
                    .contains("AUTH_FAILED").endsWith("(retrying every 30s)");
            assertThat(log.warnings()).as("never reported as unreachable").noneMatch(m -> m.contains("unreachable"));
            assertThat(link(d).down()).isFalse();
        }
    }

    @Test
    void mirrorsCreateModifyAppendTruncateAndDelete() throws IOException {
        Trees.randomFile(source.resolve("start.bin"), 3000, 1);
        startDaemon();
        awaitMirror(source, target);

        Files.writeString(source.resolve("new.txt"), "hello");
        awaitMirror(source, target);
        Files.writeString(source.resolve("new.txt"), "changed!");
        awaitMirror(source, target);
        Files.writeString(source.resolve("new.txt"), " and more", StandardOpenOption.APPEND);
        awaitMirror(source, target);
        try (var ch = java.nio.channels.FileChannel.open(source.resolve("start.bin"), StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        awaitMirror(source, target);
        Files.delete(source.resolve("new.txt"));
        awaitMirror(source, target);
        assertThat(Files.exists(target.resolve("new.txt"))).isFalse();
    }

    @Test
    void mirrorsDeepNewDirectoriesAndIgnoresWhatItShould() throws IOException {
        startDaemon();
        awaitMirror(source, target);

        Path deep = Files.createDirectories(source.resolve("a/b/c/d/e"));
        Files.writeString(deep.resolve("f.txt"), "deep");
        Files.writeString(source.resolve("a/b/g.txt"), "g");
        Files.writeString(source.resolve("a/skip.tmp"), "ignored");
        Files.createDirectories(source.resolve(".cache"));
        Files.writeString(source.resolve(".cache/x"), "ignored");

        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(target.resolve("a/b/c/d/e/f.txt")) && Files.exists(target.resolve("a/b/g.txt")));
        assertThat(Files.readString(target.resolve("a/b/c/d/e/f.txt"))).isEqualTo("deep");
        assertThat(Files.exists(target.resolve("a/skip.tmp"))).isFalse();
        assertThat(Files.exists(target.resolve(".cache"))).isFalse();
    }

    @Test
    void renamingAFolderOfAThousandFilesSendsNoChunk() throws IOException {
        Path dir = Files.createDirectories(source.resolve("album"));
        for (int i = 0; i < 1000; i++) {
            Files.writeString(dir.resolve("p" + i + ".txt"), "photo " + i);
        }
        Daemon d = startDaemon();
        awaitMirror(source, target);
        long chunks = link(d).chunksSent();
        long ops = link(d).treeOps();

        Files.move(dir, source.resolve("album-2026"));
        awaitMirror(source, target);
        Files.move(source.resolve("album-2026/p7.txt"), source.resolve("album-2026/p7-renamed.txt"));
        awaitMirror(source, target);

        assertThat(link(d).chunksSent()).as("no bytes re-sent for renames").isEqualTo(chunks);
        assertThat(link(d).treeOps()).isGreaterThanOrEqualTo(ops + 2);
    }

    @Test
    void aBurstOfTenThousandSmallFilesConverges() throws IOException {
        startDaemon();
        awaitMirror(source, target);
        for (int i = 0; i < 10_000; i++) {
            Path dir = source.resolve("burst/d" + (i % 50));
            if (i < 50) {
                Files.createDirectories(dir);
            }
            Files.writeString(dir.resolve("f" + i), Integer.toString(i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> Trees.assertIdentical(source, target));
    }

    @Test
    void aFileWrittenSlowlyArrivesWhole() throws Exception {
        startDaemon();
        awaitMirror(source, target);
        Path slow = source.resolve("slow.log");
        StringBuilder all = new StringBuilder();
        for (int step = 0; step < 5; step++) {
            String part = "step " + step + " " + "x".repeat(10_000) + "\n";
            all.append(part);
            Files.writeString(slow, part, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            String expected = all.toString();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).ignoreExceptions()
                    .until(() -> Files.readString(target.resolve("slow.log"), StandardCharsets.UTF_8).equals(expected));
        }
        awaitMirror(source, target);
    }

    @Test
    void restartOnAnUnchangedTreeHashesAndSendsNothingAndPicksUpOfflineChanges() throws Exception {
        for (int i = 0; i < 200; i++) {
            Trees.randomFile(source.resolve("d" + (i % 10) + "/f" + i), 2000, i);
        }
        Daemon first = startDaemon();
        awaitMirror(source, target);
        first.close();
        open.remove(first);

        Daemon second = startDaemon();
        assertThat(link(second).awaitReady(Duration.ofSeconds(20))).isTrue();
        assertThat(second.pairs().getFirst().filesHashed()).isZero();
        assertThat(link(second).chunksSent()).isZero();
        second.close();
        open.remove(second);

        Files.writeString(source.resolve("d3/offline.txt"), "written while ferry was stopped");
        Files.delete(source.resolve("d4/f4"));
        Daemon third = startDaemon();
        awaitMirror(source, target);
        assertThat(link(third).chunksSent()).isEqualTo(1);
    }

    @Test
    void aRescanFindsWhatTheWatcherMissed() throws IOException {
        Daemon d = startDaemon(PairOptions.defaults().withoutWatcher(), receiver.address().getPort());
        awaitMirror(source, target);
        Files.writeString(source.resolve("unseen.txt"), "no watcher told anyone");
        d.pairs().getFirst().post(new SyncPair.Watched(new Change.Rescan(RelativePath.ROOT, "overflow")));
        awaitMirror(source, target);
    }

    @Test
    void oneTargetDownDoesNotStopTheOtherAndCatchesUpWhenBack() throws IOException {
        Path target2 = Files.createDirectories(tmp.resolve("target2"));
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        Trees.randomFile(source.resolve("a.bin"), 5000, 3);
        Daemon d = startDaemon(PairOptions.defaults(), receiver.address().getPort(), deadPort);
        awaitMirror(source, target);
        Files.writeString(source.resolve("b.txt"), "while the second target is down");
        awaitMirror(source, target);
        assertThat(d.pairs().getFirst().targets().get(1).down()).isTrue();

        try (Receiver second = startReceiver(target2, deadPort)) {
            awaitMirror(source, target2);
        }
    }

    @Test
    void aFifoIsNotSentAndIsNamedOnceAcrossRescansWhileTheRestConverges() throws Exception {
        Files.writeString(source.resolve("a.txt"), "plain");
        Trees.randomFile(source.resolve("d/b.bin"), 5000, 5);
        run("mkfifo", source.resolve("pipe").toString());
        try (CapturedLog log = new CapturedLog(Scanner.class)) {
            Daemon d = startDaemon();
            awaitMirrorExcept(source, target, "pipe");
            SyncPair pair = d.pairs().getFirst();
            for (int i = 0; i < 2; i++) {
                long scans = pair.fullScans();
                pair.post(new SyncPair.Watched(new Change.Rescan(RelativePath.ROOT, "test")));
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pair.fullScans() > scans);
            }
            Files.writeString(source.resolve("d/c.txt"), "after the rescans");
            awaitMirrorExcept(source, target, "pipe");

            assertThat(Files.exists(target.resolve("pipe"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(log.at(Level.INFO)).containsExactly("pair=" + source.toRealPath() + " skipping special file pipe (fifo)");
        }
    }

    /** Twelve files in three directories and one at the root: 16 entries. */
    void sampleTree() throws IOException {
        for (int i = 0; i < 12; i++) {
            Trees.randomFile(source.resolve("d" + (i % 3) + "/f" + i), 1000 + i, i);
        }
        Files.writeString(source.resolve("top.txt"), "top");
    }

    String emptyMessage(Path realSource, long synced) {
        return SourceGuardTest.emptyMessage(realSource.toString(), realSource, synced,
                stateDir.resolve("pair-" + SyncPair.pairId(realSource)));
    }

    @Test
    void anEmptiedSourceDeletesNothingLogsOnceAndConvergesWhenItsEntriesAreBack() throws Exception {
        sampleTree();
        Path real = source.toRealPath();
        Path aside = tmp.resolve("source-aside");
        try (CapturedLog log = new CapturedLog(SourceGuard.class)) {
            Daemon d = startDaemon(Duration.ofSeconds(1));
            awaitMirror(source, target);
            assertThat(link(d).awaitReady(Duration.ofSeconds(20))).isTrue(); // its counters are final after that
            SyncPair pair = d.pairs().getFirst();
            long ops = link(d).treeOps();

            Files.move(source, aside); // as an unmount leaves it: an empty directory where the tree was, in one go
            Files.createDirectory(source);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pair.guard().refusals() >= 2); // two rescans

            Trees.assertIdentical(aside, target);
            assertThat(link(d).treeOps()).as("no DELETE sent").isEqualTo(ops);
            assertThat(log.at(Level.ERROR)).containsExactly(emptyMessage(real, 16));

            Files.delete(source);
            Files.move(aside, source); // mounted again
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !pair.guard().paused());
            Files.delete(source.resolve("d1/f4")); // deletes one by one still reach the target
            Files.writeString(source.resolve("d2/new.txt"), "after the pause");
            awaitMirror(source, target);
            assertThat(Files.exists(target.resolve("d1/f4"))).isFalse();
            assertThat(log.at(Level.ERROR)).hasSize(1);
            assertThat(log.at(Level.INFO)).containsExactly(SourceGuardTest.resumedMessage(real.toString(), real,
                    SourceGuard.deviceName(Files.getAttribute(real, "unix:dev"))));
        }
    }

    @Test
    void aRestartWithAnEmptiedSourceDeletesNothingAndReconcilesWhenItsEntriesAreBack() throws Exception {
        sampleTree();
        Path real = source.toRealPath();
        Path aside = tmp.resolve("source-aside");
        Daemon first = startDaemon(Duration.ofSeconds(1));
        awaitMirror(source, target);
        first.close();
        open.remove(first);
        Files.move(source, aside);
        Files.createDirectory(source);

        try (CapturedLog log = new CapturedLog(SourceGuard.class)) {
            Daemon second = startDaemon(Duration.ofSeconds(1));
            SyncPair pair = second.pairs().getFirst();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pair.reconcilesHeld() == 1);

            Trees.assertIdentical(aside, target);
            assertThat(link(second).treeOps()).isZero();
            assertThat(link(second).awaitReady(Duration.ZERO)).isFalse();
            assertThat(log.at(Level.ERROR)).containsExactly(emptyMessage(real, 16));

            Files.delete(source);
            Files.move(aside, source);
            assertThat(link(second).awaitReady(Duration.ofSeconds(20))).isTrue();
            awaitMirror(source, target);
            assertThat(link(second).chunksSent()).isZero();
            assertThat(link(second).treeOps()).isZero();
            assertThat(pair.filesHashed()).isZero();
        }
    }

    @Test
    void aFreshStateWithAnEmptySourceDoesNotEmptyAPopulatedTarget() throws Exception {
        Trees.randomFile(target.resolve("old/a.bin"), 3000, 1);
        Files.writeString(target.resolve("b.txt"), "b");
        Path real = source.toRealPath();
        try (CapturedLog log = new CapturedLog(SourceGuard.class)) {
            Daemon d = startDaemon(Duration.ofSeconds(1));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> d.pairs().getFirst().reconcilesHeld() == 1);

            assertThat(Trees.list(target).keySet()).containsExactly("b.txt", "old", "old/a.bin");
            assertThat(link(d).treeOps()).isZero();
            assertThat(log.at(Level.ERROR)).containsExactly(emptyMessage(real, 3));

            Files.writeString(source.resolve("first.txt"), "an entry ends the pause: the target then mirrors the source");
            awaitMirror(source, target);
        }
    }

    @Test
    void anotherFilesystemMountedOverTheSourceDeletesAndSendsNothingUntilTheFirstIsBack() throws Exception {
        Assumptions.assumeTrue(mountTmpfs(source), "needs root and mount(2): tmpfs over the source");
        try {
            sampleTree();
            Path real = source.toRealPath();
            try (CapturedLog log = new CapturedLog(SourceGuard.class)) {
                Daemon d = startDaemon(Duration.ofSeconds(1));
                awaitMirror(source, target);
                assertThat(link(d).awaitReady(Duration.ofSeconds(20))).isTrue(); // its counters are final after that
                SyncPair pair = d.pairs().getFirst();
                long ops = link(d).treeOps();
                long chunks = link(d).chunksSent();
                Object first = Files.getAttribute(real, "unix:dev");

                assertThat(mountTmpfs(source)).isTrue();
                Files.writeString(source.resolve("other.txt"), "another disk");
                Object other = Files.getAttribute(real, "unix:dev");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pair.guard().refusals() >= 2);

                assertThat(Trees.list(target)).hasSize(16).doesNotContainKey("other.txt");
                assertThat(link(d).treeOps()).isEqualTo(ops);
                assertThat(link(d).chunksSent()).isEqualTo(chunks);
                assertThat(log.at(Level.ERROR)).containsExactly(SourceGuardTest.otherDeviceMessage(real.toString(), real,
                        SourceGuard.deviceName(other), SourceGuard.deviceName(first)));

                run("umount", source.toString());
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !pair.guard().paused());
                Files.writeString(source.resolve("d0/after.txt"), "back on the first filesystem");
                awaitMirror(source, target);
                assertThat(log.at(Level.ERROR)).hasSize(1);
            }
        } finally {
            while (new ProcessBuilder("umount", source.toString()).start().waitFor() == 0) {
                // every tmpfs this test stacked there
            }
        }
    }

    static boolean mountTmpfs(Path at) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "ferry-test", at.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    static void awaitMirrorExcept(Path from, Path to, String... leftOut) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .untilAsserted(() -> Trees.assertIdenticalExcept(from, to, Set.of(leftOut)));
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command[0], out).isZero();
    }
}
