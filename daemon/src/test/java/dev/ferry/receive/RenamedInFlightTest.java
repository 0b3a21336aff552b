package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.push.PushException;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.ManualClock;
import dev.ferry.testing.ProxyStats;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A file renamed while its transfer was in flight (written as {@code big.tmp}, renamed to {@code big}: what
 * {@code cp}, editors and download tools do) is made from the chunks the old name's partial file holds, as its
 * sidecar records them (receive.OtherPartials): the push of the new name sends only the chunks the partial lacked,
 * also when that partial file is of an earlier, shorter version (a download that went on growing).
 */
class RenamedInFlightTest extends LoopbackReceiverTest {
    private static final Token TOKEN = Token.of("renamed-in-flight-test-token-0123");
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 24 * MIB;

    RenamedInFlightTest() {
        super(TOKEN, "f");
    }

    @Test
    void aFileRenamedHalfWayThroughItsTransferSendsOnlyWhatThePartialLacks() throws IOException {
        Trees.randomFile(source.resolve("big.tmp"), SIZE, 21);
        try (FaultProxy cut = new FaultProxy(receiver.address())) {
            cut.dropAfterBytes(SIZE / 2); // half-way through the chunks: the link drops
            PushResult r = Pusher.push(source, true, "", Loopback.pushSettings(cut.port(), "f", TOKEN));
            assertThat(r.failures()).as("the first push cannot have finished").isNotEmpty();
        } catch (PushException expected) {
            // the link dropped: what arrived stays in the partial file
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
        PartialSidecar.Contents kept = Sidecars.read(Sidecars.pathsOf(target, "big.tmp").sidecarPath());
        assertThat(kept).isNotNull();
        int keptChunks = kept.chunks().size();
        assertThat(keptChunks).as("chunks the partial file of big.tmp holds").isBetween(1, 23);

        Files.move(source.resolve("big.tmp"), source.resolve("big"));
        long reusedBefore = receiver.stats().snapshot().chunksReused();
        PushResult again;
        ProxyStats wire;
        try (FaultProxy counted = new FaultProxy(receiver.address())) {
            again = Pusher.push(source, true, "", Loopback.pushSettings(counted.port(), "f", TOKEN));
            wire = counted.stats();
        }

        assertThat(again.failures()).isEmpty();
        assertThat(again.chunksSent()).as("only the chunks the partial of big.tmp lacked").isEqualTo(24 - keptChunks);
        assertThat(receiver.stats().snapshot().chunksReused() - reusedBefore).isEqualTo(keptChunks);
        assertThat(wire.bytesUp()).isBetween((long) (24 - keptChunks) * MIB, (24L - keptChunks) * MIB + 64 * 1024);
        System.out.println(String.format("wire bytes for a file renamed in flight: %d up + %d down for a %d-byte file, %d of 24 chunks"
                + " taken from the old name's partial file", wire.bytesUp(), wire.bytesDown(), SIZE, keptChunks));
        Trees.assertIdentical(source, target);
    }

    @Test
    void aDownloadRenamedOnceCompleteTakesTheChunksItsShorterPartialHolds() throws IOException {
        // the receiver's clock a minute past the disk's: what the first push leaves counts as left behind at once
        receiver.close();
        ManualClock clock = new ManualClock();
        clock.advance(Duration.between(clock.instant(), Instant.now().plus(Duration.ofMinutes(1))));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)), clock);
        byte[] whole = new byte[SIZE];
        new Random(22).nextBytes(whole);
        int early = 10 * MIB + 300 * 1024; // no whole number of chunks from the finished file's size
        Files.write(source.resolve("big.download"), Arrays.copyOf(whole, early));
        try (FaultProxy cut = new FaultProxy(receiver.address())) {
            cut.dropAfterBytes(5 * MIB);
            Pusher.push(source, true, "", Loopback.pushSettings(cut.port(), "f", TOKEN));
        } catch (PushException expected) {
            // the link dropped
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
        PartialSidecar.Contents kept = Sidecars.read(Sidecars.pathsOf(target, "big.download").sidecarPath());
        assertThat(kept.version().size()).isEqualTo(early);
        long keptWhole = kept.chunks().keySet().stream().filter(i -> i < 10).count();
        assertThat(keptWhole).as("whole chunks the partial file of the shorter big.download holds").isBetween(1L, 9L);

        Files.write(source.resolve("big.download"), whole); // the download goes on to its end, then takes its name
        Files.move(source.resolve("big.download"), source.resolve("big"));
        PushResult again = Pusher.push(source, true, "", Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN));

        assertThat(again.failures()).isEmpty();
        assertThat(again.chunksSent()).as("all but the chunks the shorter partial holds").isEqualTo(24 - keptWhole);
        Trees.assertIdentical(source, target);
    }
}
