package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.ManualClock;
import dev.ferry.testing.RawClient;
import dev.ferry.time.Deadline;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing with the caller's one shutdown deadline: sockets close at once, and a passed deadline waits no further. */
class ReceiverCloseTest {
    static final Token TOKEN = Token.of("close-test-token-0123456789");

    @TempDir
    Path target;

    @Test
    void closeWithAPassedDeadlineStillStopsAcceptingAndEndsTheSessions() throws IOException {
        ManualClock clock = new ManualClock();
        Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)), clock);
        int port = receiver.address().getPort();
        try (RawClient client = RawClient.authenticated(port, "f", TOKEN)) {
            Deadline passed = clock.deadlineIn(Duration.ZERO);

            receiver.close(passed);

            // the socket is closed; a session that authenticated just before may have said ERROR first (not data)
            assertThatThrownBy(() -> {
                for (int i = 0; i < 2; i++) {
                    assertThat(client.read()).isInstanceOf(dev.ferry.wire.Frame.Error.class);
                }
            }).as("the session's socket is closed").isInstanceOf(IOException.class);
            assertThatThrownBy(() -> new RawClient(port)).isInstanceOf(ConnectException.class);
        }
        receiver.close(); // a second close is a no-op
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
    }
}
