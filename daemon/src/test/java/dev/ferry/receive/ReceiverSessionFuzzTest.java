package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.ferry.auth.Token;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.FrameCorpus;
import dev.ferry.testing.FrameMutator;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Fuzzes a receiver's session: each case authenticates (a real HELLO/AUTH, so the fuzzing starts where a malicious
 * sender with a valid token or identity stands), sends a mutated sequence of frames from real pushes
 * ({@link FrameCorpus}, {@link FrameMutator}), half-closes, and reads every answer until the receiver closes. The
 * invariants: the receiver never answers INTERNAL nor logs an ERROR (an exception other than the protocol's own);
 * every session ends (none hangs); nothing appears, changes or goes outside the folder (a sentinel folder beside it);
 * the budget of chunk hashes and the handshake pool come back to zero; and afterwards the same receiver serves an
 * honest push with identical trees.
 *
 * <p>{@value #DEFAULT_CASES} cases of up to 8 frames with seed {@value #DEFAULT_SEED} in CI;
 * {@code -Dferry.fuzz.sessions=N} and {@code -Dferry.fuzz.seed=S} for a longer run ({@code bench/fuzz.sh}).
 */
class ReceiverSessionFuzzTest {
    static final int DEFAULT_CASES = 10_000;
    static final long DEFAULT_SEED = 14;
    static final Token TOKEN = Token.of("session-fuzz-token-0123456789abcdef");

    @TempDir
    Path tmp;

    @Test
    void mutatedFrameSequencesAfterAValidHandshakeBreakNothing() throws Exception {
        int cases = Integer.getInteger("ferry.fuzz.sessions", DEFAULT_CASES);
        long seed = Long.getLong("ferry.fuzz.seed", DEFAULT_SEED);
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path target = Files.createDirectories(root.resolve("target"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("sentinel.txt"), "must stay as it is");
        Files.createSymbolicLink(target.resolve("escape"), outside); // a way out, for a fuzzed path to try
        Map<String, Path> outsideBefore = Trees.list(outside);

        Logger ferry = (Logger) LoggerFactory.getLogger("dev.ferry");
        Level was = ferry.getLevel();
        long answers = 0;
        long dropped = 0;
        Map<String, Long> byKind = new java.util.TreeMap<>(); // what the receiver answered: how deep the cases got
        try (CapturedLog sessionLog = CapturedLog.from(ReceiverSession.class, Level.ERROR);
             CapturedLog receiverLog = CapturedLog.from(Receiver.class, Level.ERROR);
             Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target, "corpus",
                     Files.createDirectories(tmp.resolve("corpus-target")))).withFsync(false)
                     .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)))) {
            int port = receiver.address().getPort();
            FrameCorpus corpus = FrameCorpus.record(tmp, port, "corpus", TOKEN); // (another folder: "f" starts empty)
            FrameMutator mutator = new FrameMutator(corpus.session(), seed);
            ferry.setLevel(Level.ERROR); // (thousands of expected WARNs: dropped peers, refused paths)
            for (int n = 0; n < cases; n++) {
                byte[] input = mutator.generate(n, 8);
                try (RawClient c = RawClient.authenticated(port, "f", TOKEN)) {
                    c.channel().readTimeout(Duration.ofSeconds(10));
                    try {
                        c.socket().getOutputStream().write(input);
                        c.socket().shutdownOutput();
                    } catch (IOException e) {
                        // the receiver dropped the session before it had read everything: its answers are still read
                    }
                    while (true) {
                        Frame answer;
                        try {
                            answer = c.read();
                        } catch (SocketTimeoutException e) {
                            throw new AssertionError("case " + n + " (seed " + seed + "): the receiver neither answered nor"
                                    + " closed for 10 s after " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 512)));
                        } catch (IOException e) {
                            dropped++;
                            break; // closed: the session is over
                        }
                        answers++;
                        byKind.merge(answer instanceof Frame.Error e ? "ERROR " + e.code()
                                : answer.getClass().getSimpleName().toUpperCase(), 1L, Long::sum);
                        if (answer instanceof Frame.Error e && e.code() == ErrorCode.INTERNAL) {
                            throw new AssertionError("case " + n + " (seed " + seed + "): " + e + " after "
                                    + HexFormat.of().formatHex(input, 0, Math.min(input.length, 512)));
                        }
                    }
                }
                if (n % 50 == 49) { // files the cases committed would make later offers of them "identical": start afresh
                    emptyBut(target, Set.of(".ferry", "escape"));
                }
                if (n % 500 == 499) {
                    assertThat(sessionLog.at(Level.ERROR)).as("errors after case %d", n).isEmpty();
                }
            }
            ferry.setLevel(was);
            assertThat(sessionLog.at(Level.ERROR)).as("ReceiverSession errors").isEmpty();
            assertThat(receiverLog.at(Level.ERROR)).as("Receiver errors").isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.activeSessions() == 0);
            assertThat(receiver.handshakesInProgress()).isZero();
            assertThat(receiver.hashBytesHeld()).as("chunk-hash bytes still reserved").isZero();

            Path honest = Files.createDirectories(tmp.resolve("honest"));
            Trees.randomFile(honest.resolve("a.bin"), 300_000, 7);
            Trees.randomFile(honest.resolve("sub/b.txt"), 1_000, 8);
            PushResult result = Pusher.push(honest, true, "after-fuzz", Loopback.pushSettings(port, "f", TOKEN));
            assertThat(result.ok()).as("an honest push after the fuzzing: %s", result).isTrue();
            Trees.assertIdentical(honest, target.resolve("after-fuzz"));
        } finally {
            ferry.setLevel(was);
        }
        assertThat(Trees.list(outside).keySet()).isEqualTo(outsideBefore.keySet());
        assertThat(Files.readString(outside.resolve("sentinel.txt"))).isEqualTo("must stay as it is");
        try (var entries = Files.list(root)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("outside", "target");
        }
        System.out.printf("session fuzz: %d cases (seed %d), %d answers read, %d sessions closed by the receiver;"
                + " answers by kind %s%n", cases, seed, answers, dropped, byKind);
    }

    /** Deletes what is in {@code dir} except {@code keep} (no session runs meanwhile). */
    private static void emptyBut(Path dir, Set<String> keep) throws IOException {
        try (var entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> !keep.contains(p.getFileName().toString())).toList()) {
                try (var tree = Files.walk(p)) {
                    for (Path q : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(q);
                    }
                }
            }
        }
    }
}
