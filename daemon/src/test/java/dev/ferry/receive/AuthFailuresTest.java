package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ferry.auth.Token;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An authentication failure is logged once per change of state per peer address and folder, not once per attempt. */
class AuthFailuresTest {
    static final Token TOKEN = Token.of("auth-failures-test-token-0123");
    static final Token WRONG = Token.of("not-the-token-of-this-receiver");
    static final String FIRST = "peer 127.0.0.1 failed authentication for folder 'photos' (wrong token); further failures"
            + " from it are counted, not logged, until it succeeds";

    @TempDir
    Path tmp;

    @Test
    void realReceiverWarnsOnceCountsRepeatsAndSaysOnceWhenThePeerSucceeds() throws IOException {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        try (CapturedLog auth = CapturedLog.from(AuthFailures.class, Level.DEBUG);
             CapturedLog session = new CapturedLog(ReceiverSession.class);
             Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("photos", photos)))) {
            int port = receiver.address().getPort();
            for (int i = 0; i < 3; i++) {
                try (RawClient c = new RawClient(port)) {
                    assertThat(c.handshake("photos", WRONG)).isInstanceOfSatisfying(Frame.Error.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTH_FAILED));
                }
            }
            try (RawClient c = RawClient.authenticated(port, "photos", TOKEN)) {
                assertThat(c.channel().isClosed()).isFalse();
            }

            assertThat(auth.warnings()).containsExactly(FIRST);
            assertThat(auth.at(Level.DEBUG)).containsExactly(
                    "peer 127.0.0.1 failed authentication for folder 'photos' again (2 failures in a row)",
                    "peer 127.0.0.1 failed authentication for folder 'photos' again (3 failures in a row)");
            assertThat(auth.infos()).containsExactly("peer 127.0.0.1 authenticated for folder 'photos' after 3 failed attempt(s)");
            assertThat(session.warnings()).as("no WARN per attempt from the session").isEmpty();
            assertThat(receiver.stats().snapshot().authFailures()).isEqualTo(3);
        }
    }

    @Test
    void eachFolderAndAddressHasItsOwnStateAndAfterASuccessTheNextFailureWarnsAgain() {
        AuthFailures failures = new AuthFailures();
        try (CapturedLog log = CapturedLog.quiet(AuthFailures.class)) {
            failures.failed("10.0.0.2:51234", "photos");
            failures.failed("10.0.0.2:51299", "photos"); // another port, the same peer: counted
            failures.failed("10.0.0.2:51300", "music");
            failures.failed("::1:40000", "photos");
            failures.succeeded("10.0.0.2:51301", "photos");
            failures.failed("10.0.0.2:51302", "photos");

            assertThat(log.warnings()).containsExactly(
                    "peer 10.0.0.2 failed authentication for folder 'photos' (wrong token); further failures from it are"
                            + " counted, not logged, until it succeeds",
                    "peer 10.0.0.2 failed authentication for folder 'music' (wrong token); further failures from it are"
                            + " counted, not logged, until it succeeds",
                    "peer ::1 failed authentication for folder 'photos' (wrong token); further failures from it are"
                            + " counted, not logged, until it succeeds",
                    "peer 10.0.0.2 failed authentication for folder 'photos' (wrong token); further failures from it are"
                            + " counted, not logged, until it succeeds");
            assertThat(log.infos()).containsExactly("peer 10.0.0.2 authenticated for folder 'photos' after 2 failed attempt(s)");
        }
    }

    @Test
    void remembersAtMostMaxPeersAndForgetsTheLeastRecentlyFailing() {
        AuthFailures failures = new AuthFailures();
        try (CapturedLog log = CapturedLog.quiet(AuthFailures.class)) {
            for (int i = 0; i < AuthFailures.MAX_PEERS + 10; i++) {
                failures.failed("10.1." + (i / 256) + "." + (i % 256) + ":4000", "photos");
            }
            assertThat(failures.size()).isEqualTo(AuthFailures.MAX_PEERS);
            log.clear();
            failures.failed("10.1.0.0:4001", "photos"); // the first one, forgotten: a WARN again
            failures.failed("10.1.4.9:4001", "photos"); // the last one, remembered: counted
            assertThat(log.warnings()).hasSize(1).first().asString().startsWith("peer 10.1.0.0 failed");
            assertThat(failures.size()).isEqualTo(AuthFailures.MAX_PEERS);
        }
    }
}
