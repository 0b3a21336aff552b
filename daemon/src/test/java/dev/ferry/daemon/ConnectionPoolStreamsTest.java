package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.push.TransferListener;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Trees;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A daemon target's pool of connections and parallel streams, against a real receiver on 127.0.0.1. */
class ConnectionPoolStreamsTest extends LoopbackReceiverTest {
    static final Token TOKEN = Token.of("pool-streams-token-0123456789");
    static final int CHUNK = 64 * 1024;

    ConnectionPoolStreamsTest() {
        super(TOKEN, "f");
    }

    ConnectionPool pool(int connections) {
        return pool(connections, Duration.ZERO);
    }

    ConnectionPool pool(int connections, Duration stripeMinRtt) {
        return new ConnectionPool(Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN).withChunkSize(CHUNK),
                TransferListener.NONE, connections, FerryClock.system(), stripeMinRtt);
    }

    @Test
    void aReceiverNearerThanTheMinimumRoundTripGetsTheBigFileOnOneConnection() throws IOException {
        Trees.randomFile(source.resolve("warm.bin"), 10, 23);
        try (ConnectionPool warm = pool(1)) { // (a receiver's first handshake is slower than the link: class loading)
            assertThat(warm.carryOut(Pusher.plan(source.resolve("warm.bin"), false, ""))).allMatch(PushResult::ok);
        }
        Trees.randomFile(source.resolve("big.bin"), 200 * CHUNK, 22);

        try (ConnectionPool pool = pool(3, ConnectionPool.STRIPE_MIN_RTT)) { // (127.0.0.1: well under 10 ms)
            assertThat(pool.carryOut(Pusher.plan(source, true, ""))).allMatch(PushResult::ok);
        }

        Trees.assertIdentical(source, target);
        assertThat(receiver.stats().streamsJoined()).isZero();
    }

    @Test
    void aPlanOfOneBigFileGoesOverEveryConnectionOfThePool() throws IOException {
        Trees.randomFile(source.resolve("big.bin"), 200 * CHUNK + 17, 21);

        List<PushResult> results;
        try (ConnectionPool pool = pool(3)) {
            results = pool.carryOut(Pusher.plan(source, true, ""));
            assertThat(pool.openConnections()).isEqualTo(3);
        }

        assertThat(results).hasSize(1);
        assertThat(results.getFirst().ok()).as(results.getFirst().failures().toString()).isTrue();
        assertThat(results.getFirst().chunksSent()).isEqualTo(201);
        assertThat(Files.mismatch(source.resolve("big.bin"), target.resolve("big.bin"))).isEqualTo(-1);
        assertThat(receiver.stats().streamsJoined()).isEqualTo(2);
        assertThat(receiver.stats().snapshot().chunksJoined()).as("201 chunks: 67 on each connection").isEqualTo(134);
    }

    @Test
    void aPlanOfManyFilesIsSpreadOverTheConnectionsWithoutStripes() throws IOException {
        for (int i = 0; i < 6; i++) {
            Trees.randomFile(source.resolve("f" + i + ".bin"), 70 * CHUNK, 30 + i);
        }

        try (ConnectionPool pool = pool(3)) {
            assertThat(pool.carryOut(Pusher.plan(source, true, ""))).allMatch(PushResult::ok);
        }

        Trees.assertIdentical(source, target);
        assertThat(receiver.stats().streamsJoined()).isZero();
    }
}
