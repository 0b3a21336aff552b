package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.status.SenderCounters;
import dev.ferry.status.StatusJson;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Secrets;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon whose sync entry says {@code compress: zstd} and {@code bwlimit}: the mirror is exact, and the target's
 * counters (and so the status JSON) show the raw bytes and the fewer that crossed the wire.
 */
class DaemonCompressionTest {
    static final String TOKEN = "daemon-compression-token-0123456789";

    @TempDir
    Path tmp;

    @Test
    void aCompressedTargetCountsRawAndWireBytesInItsStatus() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("src"));
        Path target = Files.createDirectories(tmp.resolve("dst"));
        Path tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, TOKEN + "\n");
        Files.writeString(source.resolve("small.txt"), "a small file goes inline\n".repeat(100)); // 2,500 bytes
        Files.writeString(source.resolve("big.csv"), "id,name,size,mtime\n".repeat(100_000)); // 1,900,000 bytes
        long raw = 2_500 + 1_900_000;
        try (Receiver receiver = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("mirror", target)))) {
            FerryUri uri = new FerryUri("127.0.0.1", receiver.address().getPort(), "mirror", "");
            SyncConfig sc = new SyncConfig(source, List.of(uri), tokenFile, true, List.of(), 1 << 20,
                    SyncConfig.DEFAULT_DEBOUNCE, SyncConfig.DEFAULT_RESCAN_INTERVAL, SyncConfig.DEFAULT_CONNECTIONS,
                    SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_JOURNAL_COMMIT, SyncConfig.DEFAULT_READ_TIMEOUT,
                    SyncConfig.DEFAULT_KEEP_ALIVE, Optional.empty(), Compression.zstd(3), 64L << 20);
            FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), tmp.resolve("state"), Optional.empty(), List.of(sc));
            try (Daemon daemon = Daemon.start(config, rc -> {
                throw new AssertionError("no receive section");
            }, PairOptions.defaults())) {
                DaemonSyncTest.awaitMirror(source, target);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        daemon.status().pairs().getFirst().targets().getFirst().counters().filesSent() == 2);

                Trees.assertIdentical(source, target);
                SenderCounters c = daemon.status().pairs().getFirst().targets().getFirst().counters();
                assertThat(c.bytesSent()).isEqualTo(raw);
                assertThat(c.wireBytes()).isPositive().isLessThan(raw / 50);
                assertThat(StatusJson.write(daemon.status())).contains("\"bytesSent\":" + raw + ",\"wireBytes\":" + c.wireBytes());
            }
        }
    }
}
