package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ferry.auth.Token;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.ManualClock;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver logs one INFO summary per session (and per minute of a long one), each file and operation at DEBUG
 * naming folder, path and peer.
 */
class SessionTallyTest {
    static final Token TOKEN = Token.of("session-tally-test-token-0123");
    static final String PEER = "10.0.0.2:51234";

    @TempDir
    Path tmp;

    @Test
    void longSessionWritesALineAfterEachMinuteOfActivityAndTheRestAtTheEnd() {
        ManualClock clock = new ManualClock();
        SessionTally tally = new SessionTally("photos", PEER, clock);
        try (CapturedLog log = CapturedLog.quiet(Receiver.class)) {
            tally.began();
            clock.advance(Duration.ofMillis(400));
            tally.committed(50_541_363);
            clock.advance(Duration.ofSeconds(30));
            tally.deleted();
            tally.unchanged();
            assertThat(log.infos()).as("under a minute: nothing yet").isEmpty();
            clock.advance(Duration.ofSeconds(30));
            tally.renamed();
            clock.advance(Duration.ofMinutes(5)); // idle: not counted
            tally.began();
            clock.advance(Duration.ofMillis(2400));
            tally.committed(2048);
            tally.failed();
            tally.close();
            tally.close(); // nothing new: no second line

            assertThat(log.infos()).containsExactly(
                    "received folder=photos peer=10.0.0.2:51234 files=1 bytes=48.2 MiB deletes=1 renames=1 unchanged=1 in 1m",
                    "received folder=photos peer=10.0.0.2:51234 files=1 bytes=2.0 KiB deletes=0 renames=0 failed=1 in 2.4s");
        }
    }

    @Test
    void sessionThatChangedNothingWritesNoLine() {
        SessionTally tally = new SessionTally("photos", PEER, new ManualClock());
        try (CapturedLog log = CapturedLog.quiet(Receiver.class)) {
            tally.began();
            tally.unchanged();
            tally.close();
            assertThat(log.infos()).isEmpty();
        }
    }

    @Test
    void realPushIsOneInfoLineAndOneDebugLinePerFileNamingFolderPathAndPeer() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path src = Files.createDirectories(tmp.resolve("src"));
        Trees.randomFile(src.resolve("a.bin"), 1000, 1);
        Trees.randomFile(src.resolve("sub/b.bin"), 3 * 1024 * 1024, 2);
        try (CapturedLog summary = new CapturedLog(Receiver.class);
             CapturedLog files = CapturedLog.from(FileFrameHandler.class, Level.DEBUG);
             Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("photos", target)))) {
            PushResult r = Pusher.push(src, true, "", Loopback.pushSettings(receiver.address().getPort(), "photos", TOKEN));
            assertThat(r.ok()).isTrue();
            String line = awaitSummary(summary);

            assertThat(line).matches("received folder=photos peer=127\\.0\\.0\\.1:\\d+ files=2 bytes=3\\.0 MiB deletes=0"
                    + " renames=0 in \\d+(ms|\\.\\ds|s)");
            String peer = line.replaceAll(".* peer=(\\S+) .*", "$1");
            assertThat(files.at(Level.DEBUG)).hasSize(2).allSatisfy(l -> assertThat(l).matches(
                    "committed folder=photos path=(a\\.bin|sub/b\\.bin) peer=" + Pattern.quote(peer)
                            + " size=\\d+ chunks=\\d+ reused=0 resumed=0 xxh3-128=[0-9a-f]{32}"));
            assertThat(files.infos()).as("nothing per file at INFO").isEmpty();
        }
    }

    @Test
    void deletesAndRenamesAreDebugLinesAndCountInTheSummary() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("old.txt"), "x");
        Files.writeString(target.resolve("from.txt"), "y");
        try (CapturedLog summary = new CapturedLog(Receiver.class);
             CapturedLog ops = CapturedLog.from(TreeOpHandler.class, Level.DEBUG);
             Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("photos", target)))) {
            try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "photos", TOKEN)) {
                assertThat(c.send(new Frame.Delete(1, "old.txt"))).isEqualTo(new Frame.Done(1));
                assertThat(c.send(new Frame.Rename(2, "from.txt", "to.txt"))).isEqualTo(new Frame.Done(2));
                c.channel().send(new Frame.Bye());
            }
            String line = awaitSummary(summary);

            String peer = line.replaceAll(".* peer=(\\S+) .*", "$1");
            assertThat(line).matches("received folder=photos peer=127\\.0\\.0\\.1:\\d+ files=0 bytes=0 B deletes=1 renames=1"
                    + " in \\d+ms");
            assertThat(ops.at(Level.DEBUG)).containsExactly("deleted folder=photos path=old.txt peer=" + peer,
                    "renamed folder=photos path=from.txt to=to.txt peer=" + peer);
        }
    }

    /** The session writes its line as it ends, on its own thread, just after the sender is done. */
    private static String awaitSummary(CapturedLog log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = log.infos().stream().filter(l -> l.startsWith("received ")).toList();
            if (!lines.isEmpty()) {
                assertThat(lines).hasSize(1);
                return lines.getFirst();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no summary line within 10s; INFO lines: " + log.infos());
    }
}
