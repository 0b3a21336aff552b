package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static dev.ferry.e2e.CrashMatrixTest.CHUNK;
import static dev.ferry.e2e.CrashMatrixTest.CHUNKS;
import static dev.ferry.e2e.CrashMatrixTest.SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry daemon} as a real process under the signals an init system sends: SIGHUP reloads the config (a pair
 * added starts, a pair removed stops, the unchanged one goes on; a broken file changes nothing and says where it is
 * broken), SIGTERM stops in order with status 0 and the journal resumes with only the missing chunks, a second SIGTERM
 * exits at once with status 1, and a stop is bounded by {@code shutdown-timeout}.
 *
 * <p>A stop that takes long, for the last two: the pair hashing a 1 TiB sparse file (no disk used; minutes of work),
 * which holds up the daemon's other virtual threads.
 *
 * <p>Threads: the test thread only; the processes are its children.
 */
class SignalsTest {
    static final Duration START = Duration.ofSeconds(30);
    static final Duration TRANSFER = Duration.ofSeconds(60);
    static final String TOKEN = "signals-test-token-0123456789abcdef";
    static final Pattern DAEMON_RUNNING = Pattern.compile("daemon running: ");
    static final Pattern RELOAD = Pattern.compile(".*reload(: | refused).*");
    /** Bigger than anything this machine hashes in a few seconds; sparse, so it costs no disk. */
    static final long HUGE = 1L << 40;

    @TempDir
    Path tmp;
    Path token;
    FerryProcess receiver;
    int port;

    @BeforeEach
    void receiver() throws IOException {
        token = Secrets.write(tmp.resolve("token"), TOKEN + "\n");
        for (String f : List.of("a", "b", "c")) {
            Files.createDirectories(tmp.resolve("target-" + f));
            Files.createDirectories(tmp.resolve("src-" + f));
        }
        receiver = FerryProcess.ferry("receive", "--listen", "127.0.0.1:0",
                        "--folder", "a=" + tmp.resolve("target-a"), "--folder", "b=" + tmp.resolve("target-b"),
                        "--folder", "c=" + tmp.resolve("target-c"), "--token-file", token.toString())
                .env("FERRY_LOG_LEVEL", "TRACE").logDir(tmp.resolve("logs")).start(); // (TRACE: a line per chunk)
        port = receiver.awaitReceiverPort(START);
    }

    @AfterEach
    void stopReceiver() throws IOException {
        receiver.close();
    }

    String pair(String name) {
        return pair(tmp.resolve("src-" + name), name);
    }

    String pair(Path source, String folder) {
        return """
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%d/%s" ]
                    token-file: %s
                    connections: 1
                """.formatted(source, port, folder, token);
    }

    Path config(String top, String... pairs) throws IOException {
        return Files.writeString(tmp.resolve("ferry.yaml"), "transport: plaintext\nstate-dir: " + tmp.resolve("state") + "\n" + top
                + "sync:\n" + String.join("", pairs));
    }

    FerryProcess daemon(Path config) throws IOException {
        FerryProcess d = FerryProcess.ferry("daemon", "--config", config.toString()).logDir(tmp.resolve("logs")).start();
        d.awaitLog(DAEMON_RUNNING, START);
        return d;
    }

    /**
     * What {@code ferry status --json} (a real process) says of the daemon's pairs: "SOURCE STATE" per pair (its one
     * target's state), once every target is in sync or after 20 s.
     */
    List<String> statusPairs(Path config) throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        List<String> pairs = List.of();
        do {
            try (FerryProcess status = FerryProcess.ferry("status", "--json", "--config", config.toString())
                    .logDir(tmp.resolve("status-" + System.nanoTime())).start()) {
                assertThat(status.awaitExit(START)).isZero();
                JsonNode json = new ObjectMapper().readTree(String.join("\n", status.logLines()));
                pairs = new ArrayList<>();
                for (JsonNode p : json.get("pairs")) {
                    pairs.add(p.get("source").asText() + " " + p.get("targets").get(0).get("state").asText());
                }
            }
            if (pairs.stream().allMatch(p -> p.endsWith(" in sync"))) {
                return pairs;
            }
            LockSupport.parkNanos(50_000_000);
        } while (System.nanoTime() - deadline < 0);
        return pairs;
    }

    /** Sends SIGHUP and returns the reload's line. */
    static String reload(FerryProcess daemon) {
        int mark = daemon.logLines().size();
        daemon.signal("HUP");
        return CrashMatrixTest.awaitAfter(daemon, RELOAD, mark, START).group();
    }

    static String line(FerryProcess p, Pattern pattern) {
        return p.logLines().stream().filter(l -> pattern.matcher(l).find()).findFirst().orElseThrow(
                () -> new AssertionError("no line /" + pattern + "/ in " + p.log()));
    }

    static long count(FerryProcess p, String text) {
        return p.logLines().stream().filter(l -> l.contains(text)).count();
    }

    static void awaitMirror(Path source, Path target) throws IOException {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                Trees.assertIdentical(source, target);
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    @Test
    void sighupStartsAnAddedPairStopsARemovedOneAndLeavesTheUnchangedOneRunning() throws IOException {
        Files.writeString(tmp.resolve("src-a/a1.txt"), "a1");
        Files.writeString(tmp.resolve("src-b/b1.txt"), "b1");
        Files.writeString(tmp.resolve("src-c/c1.txt"), "c1");
        try (FerryProcess daemon = daemon(config("", pair("a"), pair("b")))) {
            awaitMirror(tmp.resolve("src-a"), tmp.resolve("target-a"));
            awaitMirror(tmp.resolve("src-b"), tmp.resolve("target-b"));
            assertThat(tmp.resolve("target-c/c1.txt")).doesNotExist();

            config("", pair("a"), pair("c"));
            String reloaded = reload(daemon);

            assertThat(reloaded).endsWith("reload: pairs added=[" + tmp.resolve("src-c") + "] removed=["
                    + tmp.resolve("src-b") + "] restarted=[] unchanged=1; receiver unchanged");
            awaitMirror(tmp.resolve("src-c"), tmp.resolve("target-c")); // the added pair fills its target
            Files.writeString(tmp.resolve("src-b/b2.txt"), "written after the reload");
            Files.writeString(tmp.resolve("src-a/a2.txt"), "a2");
            awaitMirror(tmp.resolve("src-a"), tmp.resolve("target-a")); // the unchanged pair still syncs
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos()); // a change is out in ~10 ms: 50 times that
            assertThat(tmp.resolve("target-b/b2.txt")).as("a file written in a removed pair's source").doesNotExist();
            // untouched: the unchanged pair was started once, never stopped or started again
            assertThat(count(daemon, "pair=" + tmp.resolve("src-a").toRealPath() + " watching")).isEqualTo(1);
            assertThat(statusPairs(tmp.resolve("ferry.yaml"))).as("ferry status --json after the reload")
                    .containsExactly(tmp.resolve("src-a").toRealPath() + " in sync",
                            tmp.resolve("src-c").toRealPath() + " in sync");
            assertThat(daemon.isAlive()).isTrue();
            assertThat(daemon.stop()).isZero();
        }
    }

    @Test
    void sighupWithABrokenConfigKeepsTheOldPairsSyncingAndNamesFileLineAndKey() throws IOException {
        Path config = config("", pair("a"));
        try (FerryProcess daemon = daemon(config)) {
            Files.writeString(config, Files.readString(config) + "    debounce: 10\n"); // line 8: no unit

            String refused = reload(daemon);

            assertThat(refused).contains("ERROR").endsWith("reload refused, still running the previous config: " + config
                    + ":8: sync[0].debounce: bad duration \"10\": missing unit; write e.g. 10s (units: ms, s, m, h, d)");
            Files.writeString(tmp.resolve("src-a/after.txt"), "written after the refused reload");
            awaitMirror(tmp.resolve("src-a"), tmp.resolve("target-a"));
            assertThat(statusPairs(config)).as("ferry status --json: still the previous config's pair")
                    .containsExactly(tmp.resolve("src-a").toRealPath() + " in sync");
            assertThat(daemon.stop()).isZero();
        }
    }

    @Test
    void sigtermMidTransferExitsZeroAndTheRestartSendsOnlyTheMissingChunks() throws IOException {
        Path src = tmp.resolve("src-a");
        CrashMatrixTest.writeRandom(src.resolve("big.bin"), SIZE, 13);
        Path config = config("shutdown-timeout: 5s\n", pair("a"));
        long atStop;
        try (FerryProcess daemon = daemon(config)) {
            awaitPartial(tmp.resolve("target-a"), SIZE / 2, daemon);
            int mark = receiver.logLines().size();
            long t0 = System.nanoTime();
            int code = daemon.stop(Duration.ofSeconds(10));
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("signals: SIGTERM mid-transfer: exit " + code + " after " + stopMs + " ms");
            assertThat(code).as("exit status after SIGTERM").isZero();
            assertThat(line(daemon, Pattern.compile("SIGTERM: stopping"))).endsWith("SIGTERM: stopping (shutdown-timeout 5s)");
            assertThat(line(daemon, Pattern.compile("daemon stopped"))).endsWith("daemon stopped");
            CrashMatrixTest.awaitAfter(receiver, CrashMatrixTest.SESSION_ENDED, mark, START);
            atStop = partialSize(tmp.resolve("target-a"));
        }
        assertThat(atStop).as("the stop fell mid-file").isBetween(SIZE / 2, SIZE - 1);
        assertResumesWithOnlyTheMissingChunks(config, src, atStop);
    }

    @Test
    void aSecondSigtermWhileStoppingExitsAtOnceWithOneAndTheJournalStillResumes() throws IOException {
        Path src = tmp.resolve("src-a");
        CrashMatrixTest.writeRandom(src.resolve("big.bin"), SIZE, 17);
        Path config = config("shutdown-timeout: 60s\n", pair("a"));
        long atStop;
        try (FerryProcess daemon = daemon(config)) {
            awaitPartial(tmp.resolve("target-a"), SIZE / 2, daemon);
            sparse(src.resolve("huge.bin")); // from here the transfer and the stop wait for the hashing
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // settled (2 ms) and being hashed
            daemon.signal("TERM");
            daemon.awaitLog(Pattern.compile("SIGTERM: stopping \\(shutdown-timeout 1m\\)"), START);
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
            assertThat(daemon.isAlive()).as("still stopping 300 ms after the first SIGTERM").isTrue();
            int mark = receiver.logLines().size();
            long t0 = System.nanoTime();
            daemon.signal("TERM");
            int code = daemon.awaitExit(Duration.ofSeconds(5));
            long exitMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("signals: second SIGTERM: exit " + code + " after " + exitMs + " ms");
            assertThat(code).as("exit status after a second SIGTERM").isEqualTo(1);
            assertThat(exitMs).as("ms from the second SIGTERM to the exit").isLessThan(2_000L);
            assertThat(line(daemon, Pattern.compile("while stopping"))).endsWith("SIGTERM while stopping: exiting at once, status 1");
            assertThat(daemon.logLines()).noneMatch(l -> l.contains("daemon stopped"));
            CrashMatrixTest.awaitAfter(receiver, CrashMatrixTest.SESSION_ENDED, mark, START); // partial recorded
            atStop = partialSize(tmp.resolve("target-a"));
        }
        Files.delete(src.resolve("huge.bin"));
        assertThat(atStop).as("the stop fell mid-file").isBetween(SIZE / 2, SIZE - 1);
        assertResumesWithOnlyTheMissingChunks(config, src, atStop);
    }

    /**
     * While a pair hashes a big file, its slices keep every carrier thread of the virtual threads busy, so a target's
     * thread, the journal's flusher and the sessions cannot run until it is done (a limit of the hashing, not of the
     * stop): the stop cannot end, and the watchdog ends the process at the shutdown-timeout plus its margin.
     */
    @Test
    void aStopThatCannotEndIsEndedByTheWatchdogWithStatusOne() throws IOException {
        Path config = config("shutdown-timeout: 1s\n", pair("a"));
        try (FerryProcess daemon = daemon(config)) {
            Files.writeString(tmp.resolve("src-a/small.txt"), "small");
            awaitMirror(tmp.resolve("src-a"), tmp.resolve("target-a"));
            sparse(tmp.resolve("src-a/huge.bin"));
            LockSupport.parkNanos(Duration.ofMillis(300).toNanos()); // settled (2 ms) and being hashed
            long t0 = System.nanoTime();
            daemon.signal("TERM");
            int code = daemon.awaitExit(Duration.ofSeconds(15));
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("signals: stop while hashing a huge file, shutdown-timeout 1s: exit " + code + " after "
                    + stopMs + " ms");
            assertThat(code).isEqualTo(1);
            assertThat(stopMs).as("ms from SIGTERM to exit (1s + the 5s margin)").isBetween(6_000L, 9_000L);
            assertThat(line(daemon, Pattern.compile("the stop did not end"))).endsWith(
                    "the stop did not end within shutdown-timeout 1s (+5s): exiting anyway, status 1");
        }
    }

    @Test
    void receiveExitsZeroOnSigintAndLogsAndIgnoresSighup() {
        receiver.signal("HUP");
        receiver.awaitLog(Pattern.compile("SIGHUP ignored: ferry receive does not reload"), START);
        assertThat(receiver.isAlive()).isTrue();

        receiver.signal("INT");

        assertThat(receiver.awaitExit(START)).isZero();
        assertThat(line(receiver, Pattern.compile("SIGINT: stopping"))).endsWith("SIGINT: stopping (shutdown-timeout 10s)");
    }

    /**
     * A restart of the daemon resumes big.bin from its journal; the receiver kept every chunk that reached it before
     * the stop ({@code resumed} times the chunk size is the partial file's size), and takes exactly the others.
     */
    void assertResumesWithOnlyTheMissingChunks(Path config, Path src, long atStop) throws IOException {
        int mark = receiver.logLines().size();
        try (FerryProcess daemon = daemon(config)) {
            daemon.awaitLog(Pattern.compile("resuming 1 file\\(s\\) and 0 operation\\(s\\) from its journal"), START);
            long resumed = Long.parseLong(CrashMatrixTest.awaitAfter(receiver, COMMITTED, mark,
                    TRANSFER).group(4));
            CrashMatrixTest.assertIdentical(src, tmp.resolve("target-a"));
            List<String> after = receiver.logLines();
            long received = CrashMatrixTest.count(after.subList(mark, after.size()), CHUNK_OK);
            System.out.println("signals: resumed=" + resumed + " chunks, the partial file had " + atStop
                    + " bytes; chunks sent after the restart=" + received);
            assertThat(resumed * CHUNK).as("bytes resumed against the partial file at the stop").isEqualTo(atStop);
            assertThat(received).as("chunks sent after the restart").isEqualTo(CHUNKS - resumed);
            assertThat(daemon.stop()).isZero();
        }
    }

    static final Pattern CHUNK_OK = Pattern.compile("chunk ok folder=\\S+ path=big.bin peer=\\S+ index=");
    static final Pattern COMMITTED = Pattern.compile(
            "committed folder=\\S+ path=big.bin peer=\\S+ size=(\\d+) chunks=(\\d+) reused=(\\d+) resumed=(\\d+) ");

    static void sparse(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(HUGE);
        }
    }

    /** Polls the partial file of the target every millisecond until it holds at least {@code bytes}. */
    void awaitPartial(Path target, long bytes, FerryProcess daemon) {
        long deadline = System.nanoTime() + TRANSFER.toNanos();
        while (partialSize(target) < bytes) {
            assertThat(daemon.isAlive()).isTrue();
            assertThat(Files.exists(target.resolve("big.bin"))).as("big.bin committed before the stop").isFalse();
            assertThat(System.nanoTime() - deadline).as("partial file reached %d bytes within %s", bytes, TRANSFER)
                    .isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    static long partialSize(Path target) {
        Path dir = target.resolve(".ferry/partial");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".part")).toList()) {
                return Files.size(p);
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
