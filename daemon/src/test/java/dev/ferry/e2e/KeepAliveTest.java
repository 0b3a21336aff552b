package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.auth.Token;
import dev.ferry.push.PushConnection;
import dev.ferry.push.PushException;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.SourceEntry;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Trees;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon's connection sits idle between changes for hours; the receiver drops a peer silent for its read timeout.
 * The sender's PINGs between plans keep the connection (and save the reconnect on the next change).
 */
class KeepAliveTest extends LoopbackReceiverTest {
    private static final Token TOKEN = Token.of("keep-alive-test-token-0123456789");
    private static final Duration RECEIVER_READ_TIMEOUT = Duration.ofMillis(400);

    KeepAliveTest() {
        super(TOKEN, "f");
    }

    @Override
    protected ReceiverSettings receiverSettings(ReceiverSettings defaults) {
        return defaults.withTimeouts(Duration.ofSeconds(5), RECEIVER_READ_TIMEOUT);
    }

    private PushSettings settings(Duration keepAlive) {
        return Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN).withKeepAlive(keepAlive);
    }

    private PushPlan planOf(String name) throws IOException {
        return new PushPlan(List.of(), List.of(SourceEntry.of(source.resolve(name), name)), List.of(), Map.of(), List.of());
    }

    @Test
    void anIdleConnectionOutlivesTheReceiversReadTimeoutAndCarriesTheNextPlan() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), 5000, 1);
        Trees.randomFile(source.resolve("b.bin"), 7000, 2);
        try (PushConnection c = PushConnection.open(settings(Duration.ofMillis(100)))) {
            assertThat(c.send(planOf("a.bin")).ok()).isTrue();

            // idle for 4 read timeouts: the session must stay up the whole time
            await().during(RECEIVER_READ_TIMEOUT.multipliedBy(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.activeSessions() == 1);

            PushResult second = c.send(planOf("b.bin"));
            assertThat(second.ok()).isTrue();
            assertThat(second.filesSent()).isEqualTo(1);
        }
        assertThat(receiver.stats().snapshot().connectionsAccepted()).isEqualTo(1);
        Trees.assertIdentical(source, target);
    }

    @Test
    void anIdleConnectionWhosePongsStopIsClosedBeforeTheNextPlanNeedsIt() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), 5000, 1);
        Trees.randomFile(source.resolve("b.bin"), 5000, 2);
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            PushSettings settings = Loopback.pushSettings(proxy.port(), "f", TOKEN)
                    .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)).withKeepAlive(Duration.ofMillis(100));
            try (PushConnection c = PushConnection.open(settings)) {
                assertThat(c.send(planOf("a.bin")).ok()).isTrue();

                proxy.downstream().stall(); // the link dies one way: PINGs go out, no PONG comes back
                // the sender gives the connection up by itself (the proxy then closes the receiver's side too)
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);

                assertThatThrownBy(() -> c.send(planOf("b.bin"))).isInstanceOf(PushException.class);
            }
        }
    }

    @Test
    void withoutKeepAlivesTheReceiverDropsTheIdleConnection() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), 5000, 1);
        try (PushConnection c = PushConnection.open(settings(Duration.ofHours(1)))) {
            assertThat(c.send(planOf("a.bin")).ok()).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
        }
        assertThat(receiver.stats().snapshot().connectionsAccepted()).isEqualTo(1);
    }
}
