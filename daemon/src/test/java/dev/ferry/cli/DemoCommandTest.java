package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ConfigLoader;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.testing.CapturedStdio;
import dev.ferry.testing.FerryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry demo} as a real process, with its temp folder in one the test owns, and its folder's contents. */
class DemoCommandTest {
    /** {@code 9 ms}, {@code 1.9 s}: what {@link Arrival#format} prints. */
    static final String LATENCY = "\\d+ ms|\\d+\\.\\d s";
    static final Duration WHOLE_DEMO = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    FerryProcess demo(Path tmpdir, String... args) throws IOException {
        Files.createDirectories(tmpdir);
        return FerryProcess.ferry("demo", args).javaOptions("-Djava.io.tmpdir=" + tmpdir).logDir(tmp.resolve("logs"))
                .start();
    }

    @Test
    void showsEachChangeArriveWithItsLatencyThenTheStatusAndWhatToTryAndRemovesItsFolder() throws IOException {
        Path tmpdir = tmp.resolve("tmpdir");
        String out;
        try (FerryProcess demo = demo(tmpdir)) {
            assertThat(demo.awaitExit(WHOLE_DEMO)).as(() -> String.join("\n", demo.logLines())).isZero();
            out = String.join("\n", demo.logLines());
        }
        assertThat(out).containsPattern(line("initial sync: 7 files, 12\\.0 MiB +arrived in (" + LATENCY + ")"))
                .containsPattern(line("created notes\\.txt \\(18 B\\) +arrived in (" + LATENCY + ")"))
                .containsPattern(line("modified notes\\.txt \\(now 43 B\\) +arrived in (" + LATENCY + ")"))
                .containsPattern(line("renamed folder photos/ to pictures/ +arrived in (" + LATENCY
                        + ") \\(one RENAME, 0 B of file data sent\\)"))
                .containsPattern(line("burst of 500 files in burst/ \\(10\\.6 KiB\\) +arrived in (" + LATENCY
                        + ") \\(\\d+ files/s\\)"))
                .containsPattern(line("deleted burst/ and big\\.bin +arrived in (" + LATENCY
                        + ") \\(held back in case it was half of a move\\)"))
                .contains("\n  target is byte-identical to the source (contents, mtime, mode)\n");
        Matcher big = Pattern.compile(line("big\\.bin \\(64\\.0 MiB\\), link dropped at (\\d+)% +resumed, arrived in ("
                + LATENCY + ") \\((\\d+) of 64 chunks were already there\\)")).matcher(out);
        assertThat(big.find()).as(out).isTrue();
        assertThat(Integer.parseInt(big.group(1))).as("dropped mid-file").isBetween(40, 99);
        assertThat(Integer.parseInt(big.group(3))).as("chunks resumed").isBetween(1, 63);

        // the status command's own table, asked over the demo's control socket
        String status = out.substring(out.indexOf("\nferry status --config "), out.indexOf("\nWhat to try next:"));
        assertThat(status).containsPattern("(?m)^/\\S+/source \\(\\d+ directories watched\\)$")
                .containsPattern("(?m)^  127\\.0\\.0\\.1:\\d+/demo +in sync +- ")
                .containsPattern("(?m)^receiver on 127\\.0\\.0\\.1:\\d+, 0 partial files kept$");
        assertThat(out).containsPattern("\n  ferry daemon --config \\S+/ferry\\.yaml\n")
                .containsPattern("\n  ferry status --config \\S+/ferry\\.yaml\n")
                .contains(" is removed; ferry demo --keep keeps it for the above.")
                .doesNotContain("INFO ").doesNotContain("Snapshot[").doesNotContain("Status[");
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertThat(left).as("the demo's temp folder is gone").isEmpty();
        }
    }

    @Test
    void ctrlCStopsTheDemoAndRemovesItsFolder() throws IOException {
        Path tmpdir = tmp.resolve("tmpdir");
        try (FerryProcess demo = demo(tmpdir)) {
            demo.awaitLog(Pattern.compile("^  created notes\\.txt"), WHOLE_DEMO);
            demo.signal("INT");
            assertThat(demo.awaitExit(Duration.ofSeconds(20))).isEqualTo(130);
        }
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertThat(left).as("the demo's temp folder is gone").isEmpty();
        }
    }

    @Test
    void theFolderHoldsAPrivateTokenAndAConfigThatRunsTheDemoAsOneDaemon() throws Exception {
        DemoFolder folder = DemoFolder.create(tmp.resolve("with space #1"));
        folder.writeConfig(DemoNextSteps.PORT);

        assertThat(Files.getPosixFilePermissions(folder.token())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(folder.token()).strip()).hasSize(32);
        FerryConfig config = ConfigLoader.load(folder.config());
        assertThat(config.stateDir()).isEqualTo(folder.state());
        assertThat(config.receive()).get().satisfies(r -> {
            assertThat(r.listen().port()).isEqualTo(7878);
            assertThat(r.folders()).containsExactlyEntriesOf(Map.of("demo", folder.target()));
        });
        assertThat(config.sync()).singleElement().satisfies(s -> {
            assertThat(s.source()).isEqualTo(folder.source());
            assertThat(s.targets()).isEqualTo(List.of(new FerryUri("127.0.0.1", 7878, "demo", "")));
            assertThat(s.tokenFile()).isEqualTo(folder.token());
        });
        folder.delete();
        assertThat(folder.base()).doesNotExist();
    }

    @Test
    void withKeepTheFolderStaysEvenAfterCtrlC() throws IOException {
        Path tmpdir = tmp.resolve("tmpdir");
        try (FerryProcess demo = demo(tmpdir, "--keep")) {
            demo.awaitLog(Pattern.compile("^  created notes\\.txt"), WHOLE_DEMO);
            demo.signal("INT");
            assertThat(demo.awaitExit(Duration.ofSeconds(20))).isEqualTo(130);
        }
        Path kept;
        try (Stream<Path> left = Files.list(tmpdir)) {
            kept = left.toList().getFirst();
        }
        assertThat(kept.getFileName().toString()).startsWith("ferry-demo-");
        // (the demo may have gone on to the next step before the signal came)
        assertThat(Files.readString(kept.resolve("source/notes.txt"))).startsWith("Hello from ferry.\n");
        assertThat(Files.readString(kept.resolve("target/notes.txt"))).startsWith("Hello from ferry.\n");
        assertThat(kept.resolve("token")).isRegularFile();
        assertThat(kept.resolve("ferry.yaml")).isRegularFile();
    }

    @Test
    void aDirThatIsNotEmptyIsAUsageError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(dir.resolve("left.txt"), "from a first run");
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("demo", "--dir", dir.toString())).isEqualTo(2);
            assertThat(stdio.ferryErr()).isEqualTo("ferry: --dir " + dir + " is not empty: give a new or empty folder\n");
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(dir.resolve("left.txt"));
        }
    }

    /** One whole line of output. */
    static String line(String regex) {
        return "(?m)^  " + regex + "$";
    }
}
