package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.KeyGen;
import dev.ferry.auth.PeerId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code config/*.yaml} at the repository root loads. The examples name real-looking paths
 * ({@code /srv/ferry/photos}, {@code /etc/ferry/token}); each test copies one into a jimfs file system at
 * {@code /etc/ferry/}, creates the directories and token files it names there, and loads it, so the examples
 * stay realistic and the loaded paths are exactly the ones written.
 */
class ExampleConfigsTest {
    /** {@code path:}, {@code source:} and {@code token-file:} values, the only paths that must exist. */
    private static final Pattern NAMED_PATH =
            Pattern.compile("^\\s*(?:-\\s+)?(path|source|token-file|identity):\\s*\"?([^\"#\\s]+)", Pattern.MULTILINE);

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(repoConfigDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theExamplesAreThere() throws IOException {
        assertThat(examples().map(f -> f.getFileName().toString()))
                .contains("receiver.yaml", "sender.yaml", "both.yaml", "identity.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleLoads(Path example) throws Exception {
        try (JimfsConfig fs = new JimfsConfig()) {
            FerryConfig config = load(fs, example);
            assertThat(config.receive().isPresent() || !config.sync().isEmpty()).isTrue();
        }
    }

    @Test
    void receiverExampleSetsEveryReceiveKey() throws Exception {
        try (JimfsConfig fs = new JimfsConfig()) {
            FerryConfig config = load(fs, repoConfigDir().resolve("receiver.yaml"));

            assertThat(config.stateDir()).isEqualTo(fs.path("/var/lib/ferry"));
            assertThat(config.receive()).contains(new ReceiveConfig(new HostPort("0.0.0.0", 7878),
                    fs.path("/etc/ferry/token"),
                    Map.of("photos", fs.path("/srv/ferry/photos"), "documents", fs.path("/srv/ferry/documents")),
                    64, Duration.ofSeconds(60), Durability.FSYNC, 1L << 40, Duration.ofDays(7), Duration.ofDays(3)));
            assertThat(config.sync()).isEmpty();
        }
    }

    @Test
    void senderExampleHasTwoEntriesAndTheDefaultStateDir() throws Exception {
        try (JimfsConfig fs = new JimfsConfig()) {
            FerryConfig config = load(fs, repoConfigDir().resolve("sender.yaml"));

            assertThat(config.stateDir()).isEqualTo(fs.path("/home/alice/.local/state/ferry"));
            assertThat(config.receive()).isEmpty();
            Path token = fs.path("/home/alice/.config/ferry/token");
            assertThat(config.sync()).containsExactly(
                    new SyncConfig(fs.path("/home/alice/photos"), List.of(FerryUri.parse("ferry://nas.example:7878/photos")),
                            token, true, List.of("*.tmp", ".cache/"), 1 << 20),
                    new SyncConfig(fs.path("/home/alice/documents"),
                            List.of(new FerryUri("nas.example", 7878, "documents", "laptop"),
                                    new FerryUri("2001:db8::7", 7879, "backup", "alice")),
                            token, false, List.of(), 1 << 20));
        }
    }

    @Test
    void bothExampleReceivesAndRelays() throws Exception {
        try (JimfsConfig fs = new JimfsConfig()) {
            FerryConfig config = load(fs, repoConfigDir().resolve("both.yaml"));

            ReceiveConfig receive = config.receive().orElseThrow();
            assertThat(receive.listen()).isEqualTo(new HostPort("::", 7878));
            assertThat(receive.folders().keySet()).containsExactly("inbox", "photos");
            assertThat(receive.readTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(receive.maxFileSize()).isEqualTo(64L << 30);
            assertThat(config.sync()).singleElement().satisfies(sync -> {
                assertThat(sync.source()).isEqualTo(receive.folders().get("photos"));
                assertThat(sync.tokenFile()).isEqualTo(fs.path("/etc/ferry/offsite-token"));
                assertThat(sync.chunkSize()).isEqualTo(4 << 20);
            });
        }
    }

    @Test
    void identityExamplePinsItsTargetAndAllowsEachLaptopItsOwnFolder() throws Exception {
        try (JimfsConfig fs = new JimfsConfig()) {
            FerryConfig config = load(fs, repoConfigDir().resolve("identity.yaml"));

            ReceiveConfig receive = config.receive().orElseThrow();
            assertThat(receive.identity()).contains(fs.path("/etc/ferry/identity"));
            assertThat(receive.tokenFile()).isNull();
            PeerId alice = PeerId.parse("MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT");
            PeerId bob = PeerId.parse("ONSW-G4TF-OQQH-EZLS-GQ2D-QNZV-GI3D-ENBT");
            assertThat(receive.allow()).containsExactly(Map.entry("alice", List.of(alice)), Map.entry("bob", List.of(bob)),
                    Map.entry("shared", List.of(alice, bob)));
            assertThat(receive.folderTokens()).containsExactly(Map.entry("shared", fs.path("/etc/ferry/shared-token")));
            assertThat(config.sync()).singleElement().satisfies(sync -> {
                assertThat(sync.identity()).contains(fs.path("/etc/ferry/identity"));
                assertThat(sync.targets().getFirst().id()).contains(PeerId.parse("GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ"));
            });
        }
    }

    /** Copies {@code example} to /etc/ferry/ in {@code fs}, creates the paths it names, and loads it. */
    private static FerryConfig load(JimfsConfig fs, Path example) throws Exception {
        return load(fs, example.getFileName().toString(), Files.readString(example));
    }

    /** Writes {@code yaml} to /etc/ferry/{@code name} in {@code fs}, creates the paths it names, and loads it. */
    static FerryConfig load(JimfsConfig fs, String name, String yaml) throws Exception {
        Matcher m = NAMED_PATH.matcher(yaml);
        while (m.find()) {
            String path = m.group(2).startsWith("~/") ? JimfsConfig.ENV.home() + m.group(2).substring(1)
                    : m.group(2).startsWith("/") ? m.group(2) : "/etc/ferry/" + m.group(2);
            if (m.group(1).equals("token-file")) {
                fs.token(path);
            } else if (m.group(1).equals("identity")) {
                KeyGen.generate(fs.path(path), Instant.now());
            } else {
                fs.directory(path);
            }
        }
        Path file = fs.file("/etc/ferry/" + name, yaml);
        return ConfigLoader.load(file, JimfsConfig.ENV);
    }

    /** The repository's config/ folder, found by walking up from the working directory (daemon/ under Maven). */
    static Path repoConfigDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("config")) && Files.isDirectory(dir.resolve("daemon"))) {
                return dir.resolve("config");
            }
        }
        throw new UncheckedIOException(new IOException("no config/ folder next to daemon/ above "
                + Path.of("").toAbsolutePath()));
    }
}
