package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bwlimit} over a real loopback connection, measured loosely: 8 MiB at 4 MiB/s takes about two seconds. */
class BandwidthLimitTest {
    static final Token TOKEN = Token.of("bwlimit-test-token-0123456789");

    @TempDir
    Path tmp;

    @Test
    void eightMebibytesAtFourMebibytesPerSecondTakeBetweenOneAndAHalfAndSixSeconds() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Trees.randomFile(src.resolve("a.bin"), 4 << 20, 1);
        Trees.randomFile(src.resolve("b.bin"), 4 << 20, 2);
        try (Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", dst)))) {
            var settings = Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN)
                    .withShaping(LinkShaping.of(Compression.OFF, 4 << 20, FerryClock.system()));
            long start = System.nanoTime();

            PushResult r = CompletableFuture.supplyAsync(() -> {
                try {
                    return Pusher.push(src, true, "", settings);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(30, TimeUnit.SECONDS);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(r.ok()).isTrue();
            assertThat(r.bytesSent()).isEqualTo(8 << 20);
            Trees.assertIdentical(src, dst);
            assertThat(took).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
        }
    }
}
