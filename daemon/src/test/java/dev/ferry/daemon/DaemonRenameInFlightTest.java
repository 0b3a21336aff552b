package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Secrets;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Compression;
import java.io.IOException;
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
 * The daemon's side of a file renamed while it is being sent: the push of the old name ends "source changed while
 * it was pushed" (what arrived stays in the receiver's partial file); the planner sees a move (the new name has the
 * old one's inode) and sends RENAME, which fails as the receiver holds only a partial file under the old name; the
 * new name is then retried as an upload (the failure is the RENAME's {@code to}), which the receiver makes from the
 * old name's partial file. Each chunk crosses the link once.
 */
class DaemonRenameInFlightTest {
    private static final String TOKEN = "daemon-rename-in-flight-token-0123456789";
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 24 * MIB;

    @TempDir
    Path tmp;

    @Test
    void aFileRenamedWhileItIsSentCrossesTheLinkOnce() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("src"));
        Path target = Files.createDirectories(tmp.resolve("dst"));
        Path tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, TOKEN + "\n");
        try (Receiver receiver = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN), Map.of("mirror", target)))) {
            FerryUri uri = new FerryUri("127.0.0.1", receiver.address().getPort(), "mirror", "");
            SyncConfig sc = new SyncConfig(source, List.of(uri), tokenFile, true, List.of(), 1 << 20,
                    SyncConfig.DEFAULT_DEBOUNCE, SyncConfig.DEFAULT_RESCAN_INTERVAL, SyncConfig.DEFAULT_CONNECTIONS,
                    SyncConfig.DEFAULT_CHUNK_ATTEMPTS, SyncConfig.DEFAULT_JOURNAL_COMMIT, SyncConfig.DEFAULT_READ_TIMEOUT,
                    SyncConfig.DEFAULT_KEEP_ALIVE, Optional.empty(), Compression.OFF, 8L << 20); // 24 MiB: about 3 s
            FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), tmp.resolve("state"), Optional.empty(), List.of(sc));
            try (Daemon daemon = Daemon.start(config, rc -> {
                throw new AssertionError("no receive section");
            }, PairOptions.defaults().withRetryDelay(Duration.ofMillis(200)))) {
                // made whole outside the source and moved in: the daemon must not see (and offer) it half-written
                Files.move(Trees.randomFile(tmp.resolve("big.download"), SIZE, 31), source.resolve("big.download"));
                Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                        .until(() -> receiver.stats().snapshot().chunksReceived() >= 6);

                Files.move(source.resolve("big.download"), source.resolve("big"));

                DaemonSyncTest.awaitMirror(source, target);
                long received = receiver.stats().snapshot().chunksReceived();
                System.out.println(String.format("daemon, file renamed in flight: %d chunks received for a %d-chunk file"
                        + " (%d reused)", received, SIZE / MIB, receiver.stats().snapshot().chunksReused()));
                assertThat(received).as("chunks received for both names: each chunk once").isEqualTo(SIZE / MIB);
            }
        }
    }
}
