package dev.ferry.daemon;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.journal.FileVersion;
import dev.ferry.journal.Journal;
import dev.ferry.journal.JournalOptions;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Trees;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon target's journal: replayed first after a start; a file that keeps failing is parked, the rest goes on. */
class TargetJournalTest {
    static final String TOKEN = "journal-test-token-0123456789";

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Path tokenFile;
    Receiver receiver;
    Daemon daemon;
    CapturedLog logs;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        tokenFile = Secrets.write(tmp.resolve("token"), TOKEN);
        logs = new CapturedLog(TargetLink.class);
    }

    @AfterEach
    void tearDown() {
        logs.close();
        if (daemon != null) {
            daemon.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    void startReceiver(long maxFileSize) throws IOException {
        receiver = Receiver.start(Loopback.receiverSettings(Token.of(TOKEN),
                Map.of("mirror", target)).withMaxFileSize(maxFileSize));
    }

    FerryUri uri() {
        return new FerryUri("127.0.0.1", receiver.address().getPort(), "mirror", "");
    }

    void startDaemon(PairOptions options) throws IOException {
        SyncConfig sc = new SyncConfig(source, List.of(uri()), tokenFile, true, List.of(), 1 << 20);
        FerryConfig config = new FerryConfig(tmp.resolve("ferry.yaml"), tmp.resolve("state"), Optional.empty(), List.of(sc));
        daemon = Daemon.start(config, rc -> {
            throw new AssertionError("no receive section");
        }, options);
    }

    TargetLink link() {
        return daemon.pairs().getFirst().targets().getFirst();
    }

    List<String> messages() {
        return logs.messages();
    }

    @Test
    void aFileThatKeepsFailingIsParkedOnceAndTheOthersGoOn() throws IOException {
        startReceiver(1000);
        Trees.randomFile(source.resolve("big.bin"), 5000, 1);
        Files.writeString(source.resolve("a.txt"), "a");
        startDaemon(PairOptions.defaults().withRetryDelay(Duration.ofMillis(20)));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> link().parked().containsKey("big.bin"));
        assertThat(link().parked().get("big.bin")).isEqualTo("'big.bin' is 5000 bytes, this receiver accepts at most 1000 (TOO_LARGE)");
        assertThat(link().journalState().fileAt("big.bin")).hasValueSatisfying(f -> assertThat(f.isParked()).isTrue());
        Files.writeString(source.resolve("b.txt"), "b");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(target.resolve("b.txt")));
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("a");
        assertThat(messages().stream().filter(m -> m.startsWith("parked pair=") && m.contains(" path=big.bin target=" + uri()
                + " after " + RetryBook.PARK_AFTER + " failures in a row: ") && m.endsWith(" (retrying every 10m)"))).hasSize(1);
        assertThat(messages().stream().filter(m -> m.startsWith("could not sync pair=")
                && m.contains(" path=big.bin target=" + uri() + ": "))).hasSize(RetryBook.PARK_AFTER - 1);
    }

    @Test
    void eachRoundIsOneInfoLineWithWhatItSentAndNoLinePerFile() throws IOException {
        startReceiver(1L << 40);
        Trees.randomFile(source.resolve("a.bin"), 3000, 1);
        Files.writeString(Files.createDirectories(source.resolve("sub")).resolve("b.txt"), "b");
        startDaemon(PairOptions.defaults());
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> Trees.assertIdentical(source, target));
        Files.delete(source.resolve("a.bin"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(target.resolve("a.bin")));

        String prefix = "synced pair=\\S+ target=" + Pattern.quote(uri().toString());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs.infos().stream()
                .filter(m -> m.startsWith("synced ")).toList()).satisfiesExactly(
                        first -> assertThat(first).matches(prefix + " files=2 bytes=2\\.9 KiB deletes=0 renames=0 in \\d+(ms|\\.\\ds|s)"),
                        second -> assertThat(second).matches(prefix + " files=0 bytes=0 B deletes=1 renames=0 in \\d+(ms|\\.\\ds|s)")));
        assertThat(logs.infos()).noneMatch(m -> m.contains("a.bin") || m.contains("b.txt"));
    }

    @Test
    void unfinishedFilesInTheJournalAreResumedFirstAfterAStart() throws IOException {
        startReceiver(1L << 40);
        Trees.randomFile(source.resolve("half.bin"), 3 << 20, 2);
        Files.writeString(source.resolve("other.txt"), "other");
        // what a daemon killed while sending half.bin leaves behind
        Path journalDir = tmp.resolve("state").resolve("pair-" + SyncPair.pairId(source))
                .resolve("target-" + SyncPair.pairId(Path.of(uri().toString())));
        try (Journal j = Journal.open(journalDir, JournalOptions.DEFAULTS, InstantSource.system())) {
            long id = j.enqueueFile("half.bin", new FileVersion(3 << 20, 0, new byte[0], 1 << 20, 3));
            j.chunksAcked(id, 0, 1);
            j.sync();
        }

        startDaemon(PairOptions.defaults());

        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> Trees.assertIdentical(source, target));
        List<String> m = messages();
        int resumed = indexOf(m, "resuming 1 file(s) and 0 operation(s) from its journal");
        int ready = indexOf(m, "sync ready");
        assertThat(resumed).as("resumed, and before the first reconcile").isNotNegative().isLessThan(ready);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> link().journalState().files().isEmpty());
    }

    private static int indexOf(List<String> messages, String part) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
