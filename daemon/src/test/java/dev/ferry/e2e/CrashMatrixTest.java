package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.SyncConfig;
import dev.ferry.push.PushSettings;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash matrix: a 256 MiB transfer between real {@code ferry} processes, the sender or the receiver killed with
 * SIGKILL at three points (before the first ACK, mid-file, at the end of the data), then restarted and pushed to
 * completion. The target must converge byte-identical, the completion push must send exactly the chunks the receiver
 * did not take from the interrupted attempt ({@code resumed=} of its {@code committed} line), and what is sent again
 * beyond what never arrived is at most the sender's in-flight window plus one chunk.
 *
 * <p>Kill points are found by polling the size of the receiver's partial file under {@code .ferry/partial} (every
 * millisecond, with a deadline). The receivers log at TRACE, so that each chunk they take is a line
 * ({@code chunk ok folder=.. path=...}): a second count, from the other side, of the chunks sent after the restart, and the
 * only one for the daemon, which does not report the chunks of its journal replay.
 *
 * <p>Threads: the test thread only; the processes are its children.
 */
class CrashMatrixTest {
    /** The chunk size of {@code ferry push} without {@code --chunk-size}. */
    static final int CHUNK = SyncConfig.DEFAULT_CHUNK_SIZE;
    static final int CHUNKS = 256;
    static final long SIZE = (long) CHUNKS * CHUNK;
    /** The sender's default in-flight window. */
    static final long WINDOW = PushSettings.DEFAULT_MAX_BYTES_IN_FLIGHT;
    static final String FILE = "big.bin";
    static final String FOLDER = "f";

    static final Duration START = Duration.ofSeconds(30);
    static final Duration TRANSFER = Duration.ofSeconds(60);

    static final Pattern PUSHED = Pattern.compile(
            "ferry: pushed (\\d+) files? \\((\\d+) unchanged\\).* in (\\d+) chunks \\((\\d+) re-sent\\) in (\\S+) s");
    static final Pattern COMMITTED = Pattern.compile(
            "committed folder=\\S+ path=" + FILE + " peer=\\S+ size=(\\d+) chunks=(\\d+) reused=(\\d+) resumed=(\\d+) ");
    static final Pattern CHUNK_OK = Pattern.compile("chunk ok folder=\\S+ path=" + FILE + " peer=\\S+ index=");
    /** Every way a receiver session ends after the sender vanished (the DEBUG one is a clean close between frames). */
    static final Pattern SESSION_ENDED = Pattern.compile(
            "connection to peer=\\S+ lost|peer=\\S+ closed the connection|dropping (idle )?peer=");

    @TempDir
    static Path shared;
    static Path source;
    static Path token;

    @TempDir
    Path tmp;
    Path target;

    /** Where the kill falls, as a condition on the size of the partial file. */
    enum KillPoint {
        BEFORE_FIRST_ACK(size -> size >= 0),
        MID_FILE(size -> size >= SIZE / 2),
        END_OF_DATA(size -> size >= SIZE);

        final LongPredicate reached;

        KillPoint(LongPredicate reached) {
            this.reached = reached;
        }
    }

    enum Victim { SENDER, RECEIVER }

    /** The numbers of one case, printed for the record and checked by {@link #assertConverged}. */
    record Outcome(String name, long partAtTrigger, long partAtKill, boolean committedBeforeRestart, long resumed,
                   long chunksPushed, long chunksReceived, long elapsedMs) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "crash-matrix %s: partial file %d bytes at the trigger, %d after the kill;"
                    + " committed before the restart=%s; resumed=%d; chunks sent after the restart=%d (the receiver took %d);"
                    + " %d ms", name, partAtTrigger, partAtKill, committedBeforeRestart, resumed, chunksPushed, chunksReceived,
                    elapsedMs);
        }
    }

    @BeforeAll
    static void bigFile() throws IOException {
        source = Files.createDirectories(shared.resolve("source"));
        token = Secrets.write(shared.resolve("token"), "crash-matrix-token-0123456789abcdef\n");
        writeRandom(source.resolve(FILE), SIZE, 256);
    }

    /** {@code size} random bytes, generated 1 MiB at a time (fast, and no 256 MiB array). */
    static void writeRandom(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += CHUNK) {
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.putLong(random.nextLong());
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }

    @Test
    void senderKilledBeforeTheFirstAckConvergesWithinTheWindow() throws IOException {
        Outcome o = crash(Victim.SENDER, KillPoint.BEFORE_FIRST_ACK);
        assertConverged(o);
        assertKeptAllThatArrived(o);
    }

    @Test
    void senderKilledMidFileResumesWithOnlyTheMissingChunks() throws IOException {
        Outcome o = crash(Victim.SENDER, KillPoint.MID_FILE);
        assertConverged(o);
        assertKeptAllThatArrived(o);
    }

    @Test
    void senderKilledAtTheEndOfTheDataResendsAtMostTheWindow() throws IOException {
        Outcome o = crash(Victim.SENDER, KillPoint.END_OF_DATA);
        assertConverged(o);
        assertKeptAllThatArrived(o);
    }

    @Test
    void receiverKilledBeforeTheFirstAckConvergesWithinTheWindow() throws IOException {
        assertConverged(crash(Victim.RECEIVER, KillPoint.BEFORE_FIRST_ACK));
    }

    @Test
    void receiverKilledMidFileResumesFromItsSidecar() throws IOException {
        assertConverged(crash(Victim.RECEIVER, KillPoint.MID_FILE));
    }

    @Test
    void receiverKilledAtTheEndOfTheDataResendsAtMostTheWindow() throws IOException {
        assertConverged(crash(Victim.RECEIVER, KillPoint.END_OF_DATA));
    }

    @Test
    void daemonKilledMidFileResumesFromItsJournalWithinTheWindow() throws IOException {
        long t0 = System.nanoTime();
        target = Files.createDirectories(tmp.resolve("target"));
        Path src = Files.createDirectories(tmp.resolve("daemon-source"));
        Files.createLink(src.resolve(FILE), source.resolve(FILE)); // same bytes, mtime and mode, no copy
        try (FerryProcess receiver = receiver().start()) {
            int port = receiver.awaitReceiverPort(START);
            Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                    transport: plaintext
                    state-dir: %s
                    sync:
                      - source: %s
                        targets: [ "ferry://127.0.0.1:%d/%s" ]
                        token-file: %s
                        connections: 1
                    """.formatted(tmp.resolve("state"), src, port, FOLDER, token));
            long trigger;
            int beforeKill;
            try (FerryProcess daemon = daemon(config).start()) {
                trigger = awaitPartial(KillPoint.MID_FILE, daemon);
                beforeKill = receiver.logLines().size();
                daemon.kill9();
            }
            awaitAfter(receiver, SESSION_ENDED, beforeKill, START); // its partial is recorded and its path unlocked
            long atKill = partialSize();
            int mark = receiver.logLines().size();

            try (FerryProcess daemon = daemon(config).start()) {
                daemon.awaitLog(Pattern.compile("resuming 1 file\\(s\\) and 0 operation\\(s\\) from its journal"), START);
                long resumed = Long.parseLong(awaitAfter(receiver, COMMITTED, mark, TRANSFER).group(4));
                daemon.awaitLog(Pattern.compile("sync ready "), START);
                assertIdentical(src, target);
                List<String> after = receiver.logLines();
                long received = count(after.subList(mark, after.size()), CHUNK_OK);
                // the daemon does not count the chunks of its journal replay: the receiver's count stands for both
                Outcome o = new Outcome("daemon killed MID_FILE", trigger, atKill, false, resumed, received, received,
                        (System.nanoTime() - t0) / 1_000_000);
                System.out.println(o);
                assertThat(atKill).as("the daemon was killed mid-file").isLessThan(SIZE);
                assertConverged(o);
                assertKeptAllThatArrived(o);
                assertThat(leftInPartialDir()).as("partial files left after the commit").isEmpty();
            }
        }
    }

    /**
     * Starts a receiver and a push, kills {@code victim} at {@code point}, restarts what was killed (a receiver on the
     * same root), pushes again to completion and gathers the numbers.
     */
    Outcome crash(Victim victim, KillPoint point) throws IOException {
        long t0 = System.nanoTime();
        target = Files.createDirectories(tmp.resolve("target"));
        FerryProcess receiver = receiver().start();
        try {
            int port = receiver.awaitReceiverPort(START);
            long trigger;
            try (FerryProcess push = push(port).start()) {
                trigger = awaitPartial(point, push);
                if (victim == Victim.SENDER) {
                    int beforeKill = receiver.logLines().size();
                    if (push.kill9() == 128 + 9) { // (0: it had just finished, said BYE, and its session is over)
                        awaitAfter(receiver, SESSION_ENDED, beforeKill, START); // partial recorded, path unlocked
                    }
                } else {
                    receiver.kill9();
                    int code = push.awaitExit(START);
                    assertThat(code == 1 || Files.exists(target.resolve(FILE)))
                            .as("a push whose receiver died fails (exit 1) unless the file got in; exit %d", code).isTrue();
                }
            }
            long atKill = partialSize();
            boolean committedBeforeRestart = Files.exists(target.resolve(FILE));
            if (victim == Victim.RECEIVER) {
                receiver.close();
                receiver = receiver().start(); // same root: it finds the partial file and its sidecar
                port = receiver.awaitReceiverPort(START);
            }
            int mark = receiver.logLines().size();

            MatchResult pushed;
            try (FerryProcess push = push(port).start()) {
                assertThat(push.awaitExit(TRANSFER)).as("exit code of the completion push").isZero();
                pushed = push.awaitLog(PUSHED, Duration.ZERO);
            }
            assertIdentical(source, target);
            assertThat(leftInPartialDir()).as("partial files left after the commit").isEmpty();
            List<String> after = receiver.logLines();
            after = after.subList(mark, after.size());
            long resumed;
            if (committedBeforeRestart) { // (the kill fell after the rename: nothing is left to send)
                assertThat(pushed.group(2)).as("files unchanged in: %s", pushed.group()).isEqualTo("1");
                resumed = CHUNKS;
            } else {
                Path log = receiver.log();
                resumed = Long.parseLong(after.stream().map(COMMITTED::matcher).filter(Matcher::find).findFirst()
                        .orElseThrow(() -> new AssertionError("no committed line after the restart in " + log)).group(4));
            }
            Outcome o = new Outcome(victim.name().toLowerCase(Locale.ROOT) + " killed " + point, trigger, atKill,
                    committedBeforeRestart, resumed, Long.parseLong(pushed.group(3)), count(after, CHUNK_OK),
                    (System.nanoTime() - t0) / 1_000_000);
            System.out.println(o);
            return o;
        } finally {
            receiver.close();
        }
    }

    /**
     * {@link Trees#assertIdentical} for trees of big files: the same entries, and per file the same bytes (compared
     * in a stream, not read whole: two 256 MiB arrays cost seconds here), mtime and mode.
     */
    static void assertIdentical(Path expected, Path actual) throws IOException {
        Map<String, Path> left = Trees.list(expected);
        Map<String, Path> right = Trees.list(actual);
        assertThat(right.keySet()).as("entries under %s", actual).containsExactlyElementsOf(left.keySet());
        for (Map.Entry<String, Path> e : left.entrySet()) {
            Path p = e.getValue();
            Path q = right.get(e.getKey());
            assertThat(Files.mismatch(p, q)).as("first differing byte of %s (-1: none)", e.getKey()).isEqualTo(-1L);
            assertThat(Files.getLastModifiedTime(q)).as("mtime of %s", e.getKey()).isEqualTo(Files.getLastModifiedTime(p));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(q))).as("mode of %s", e.getKey())
                    .isEqualTo(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        }
    }

    /** The checks every case shares. */
    static void assertConverged(Outcome o) {
        assertThat(o.chunksPushed()).as("chunks the completion push sent, against resumed=%d: %s", o.resumed(), o)
                .isEqualTo(CHUNKS - o.resumed());
        assertThat(o.chunksReceived()).as("chunks the receiver took after the restart: %s", o).isEqualTo(o.chunksPushed());
        assertWithinWindow(o);
    }

    /**
     * When the sender dies, the receiver lives on and records every chunk that reached it before it lets the partial
     * file go (chunks arrive in order, so the partial file's size counts them).
     */
    static void assertKeptAllThatArrived(Outcome o) {
        if (!o.committedBeforeRestart()) {
            assertThat(o.resumed() * CHUNK).as("bytes resumed after the sender died: %s", o).isEqualTo(o.partAtKill());
        }
    }

    /** Of what had arrived when the victim died, all but at most the window plus one chunk is reused. */
    static void assertWithinWindow(Outcome o) {
        assertThat(o.resumed() * CHUNK).as("bytes resumed, against %d bytes in the partial file at the kill: %s",
                o.partAtKill(), o).isGreaterThanOrEqualTo(o.partAtKill() - (WINDOW + CHUNK));
    }

    FerryProcess.Builder receiver() {
        return FerryProcess.ferry("receive", "--listen", "127.0.0.1:0", "--folder", FOLDER + "=" + target,
                "--token-file", token.toString()).env("FERRY_LOG_LEVEL", "TRACE").logDir(tmp.resolve("logs")); // (TRACE: a line per chunk)
    }

    FerryProcess.Builder push(int port) {
        return FerryProcess.ferry("push", source.resolve(FILE).toString(), "ferry://127.0.0.1:" + port + "/" + FOLDER,
                "--token-file", token.toString()).logDir(tmp.resolve("logs"));
    }

    FerryProcess.Builder daemon(Path config) {
        return FerryProcess.ferry("daemon", "--config", config.toString()).logDir(tmp.resolve("logs"));
    }

    /**
     * Polls the partial file every millisecond until its size satisfies {@code point}; returns that size. Fails if
     * {@code sender} exits first (the transfer finished before the point) or the deadline passes. The end of the data
     * is a window of a few milliseconds (the last group fsync, the ACKs, COMMIT, the rename): a poll that comes too
     * late finds the file committed, and the case goes on from there.
     */
    long awaitPartial(KillPoint point, FerryProcess sender) {
        long deadline = System.nanoTime() + TRANSFER.toNanos();
        while (true) {
            long size = partialSize();
            if (size >= 0 && point.reached.test(size)) {
                return size;
            }
            if (point == KillPoint.END_OF_DATA && Files.exists(target.resolve(FILE))) {
                return SIZE; // renamed into place between two polls: the kill falls just after the commit
            }
            assertThat(sender.isAlive()).as("%s still running while the partial file is %d bytes (waiting for %s)",
                    sender, size, point).isTrue();
            assertThat(System.nanoTime() - deadline).as("partial file reached %s within %s (it is %d bytes)", point,
                    TRANSFER, size).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Size of the partial file of {@link #FILE} now; -1 if there is none (not yet, or already renamed). */
    long partialSize() {
        Path dir = target.resolve(".ferry/partial");
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".part")).toList()) {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    // renamed into place meanwhile
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Names in the receiver's {@code .ferry/partial}: partial files and sidecars. */
    List<String> leftInPartialDir() throws IOException {
        Path dir = target.resolve(".ferry/partial");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    static MatchResult awaitAfter(FerryProcess p, Pattern pattern, int fromLine, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = p.logLines();
            for (String line : lines.subList(Math.min(fromLine, lines.size()), lines.size())) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m.toMatchResult();
                }
            }
            assertThat(p.isAlive()).as("%s alive while waiting for /%s/", p, pattern).isTrue();
            assertThat(System.nanoTime() - deadline).as("/%s/ within %s in %s", pattern, timeout, p.log()).isNegative();
            LockSupport.parkNanos(10_000_000);
        }
    }

    static long count(List<String> lines, Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).count();
    }
}
