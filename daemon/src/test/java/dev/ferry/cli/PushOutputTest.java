package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Exec;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code ferry push} prints with -q, -v, --progress and -n, run in-process ({@link Main#run}) against a real
 * receiver on 127.0.0.1; and the live line under a real pseudo-terminal ({@code script} from util-linux), in a
 * process of its own.
 */
class PushOutputTest extends InProcessPushTest {
    private static final String SECRET = "push-output-token-0123456789";
    private static final String SUMMARY = "ferry: pushed ";
    /** The receiver's answer to a name it refuses. */
    private static final String REFUSED = "refused path: path contains a control character: 'bad\\x01name' (BAD_PATH)";
    private static final String LIVE = "ferry: \\d+/\\d+ files, [0-9.]+/[0-9.]+ (B|KiB|MiB) \\(\\d+%\\), (--|[0-9.]+ (B|KiB|MiB|GiB))/s, ETA [-0-9:]+";
    PushOutputTest() {
        super(SECRET);
    }

    private String out() {
        return stdio.out();
    }

    /** What ferry itself printed on stderr (the in-process receiver's log lines left out). */
    private String err() {
        return stdio.ferryErr();
    }


    /** Two files above the inline size (so a second push finds them identical) and one small one. */
    private void twoBigOneSmall() throws IOException {
        Trees.randomFile(source.resolve("a.bin"), 100_000, 1);
        Trees.randomFile(source.resolve("d/b.bin"), 2 * 1024 * 1024, 2);
        Files.writeString(source.resolve("d/small.txt"), "small");
    }

    @Test
    void quietPrintsNothingWhenAllArrives() throws IOException {
        twoBigOneSmall();
        assertThat(push("-q")).isZero();
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
        Trees.assertIdentical(source, target);
    }

    @Test
    void quietStillPrintsEachFailure() throws IOException {
        Files.writeString(source.resolve("ok.txt"), "fine");
        Files.writeString(source.resolve("bad\u0001name"), "a name the receiver refuses");
        assertThat(push("--quiet")).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("ferry: failed bad\u0001name: " + REFUSED + "\n");
    }

    @Test
    void quietWithVerboseOrProgressIsAUsageError() {
        assertThat(push("-q", "-v")).isEqualTo(2);
        assertThat(push("-q", "--progress")).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: -q/--quiet prints nothing but errors: it cannot go with -v/--verbose\n"
                + "ferry: -q/--quiet prints nothing but errors: it cannot go with --progress\n");
    }

    @Test
    void verboseSaysEachFileSentThenUnchanged() throws IOException {
        twoBigOneSmall();
        assertThat(push("-v")).isZero();
        List<String> first = out().lines().toList();
        assertThat(first.subList(0, 3)).containsExactlyInAnyOrder("sent a.bin (97.7 KiB)", "sent d/b.bin (2.0 MiB)",
                "sent d/small.txt (5 B)");
        assertThat(first).hasSize(4);
        assertThat(first.getLast()).startsWith("ferry: pushed 3 files (0 unchanged), 0 symlinks (0 unchanged), 1 directory, 0 deleted, 0 excluded: ");

        stdio.resetOut();
        assertThat(push("--verbose")).isZero();
        List<String> second = out().lines().toList();
        assertThat(second).containsExactly(second.get(0), second.get(1), second.get(2),
                "ferry: pushed 0 files (3 unchanged), 0 symlinks (0 unchanged), 1 directory, 0 deleted, 0 excluded: 0.0 MiB in 0 chunks (0 re-sent) in " + second.getLast()
                        .substring(second.getLast().lastIndexOf(" in ") + 4));
        assertThat(second.subList(0, 3)).containsExactlyInAnyOrder("unchanged a.bin", "unchanged d/b.bin",
                "unchanged d/small.txt");
    }

    @Test
    void verboseSaysWhichFileFailed() throws IOException {
        Files.writeString(source.resolve("bad\u0001name"), "a name the receiver refuses");
        assertThat(push("-v")).isEqualTo(1);
        assertThat(out().lines().toList().getFirst()).isEqualTo("failed bad\u0001name: " + REFUSED);
    }

    @Test
    void progressIntoAPipeWritesUpdatesOnLinesOfTheirOwnThenTheSummary() throws IOException {
        twoBigOneSmall();
        assertThat(push("--progress")).isZero();
        List<String> lines = out().lines().toList();
        assertThat(out()).doesNotContain("\r");
        assertThat(lines.size()).isBetween(3, 30);
        assertThat(lines.getFirst()).isEqualTo("ferry: 0/3 files, 0.0/2.1 MiB (0%), --/s, ETA --:--");
        assertThat(lines.subList(0, lines.size() - 1)).allMatch(l -> l.matches(LIVE));
        assertThat(lines.get(lines.size() - 2)).startsWith("ferry: 3/3 files, 2.1/2.1 MiB (100%), ");
        assertThat(lines.getLast()).startsWith("ferry: pushed 3 files (0 unchanged), 0 symlinks (0 unchanged), 1 directory, 0 deleted, 0 excluded: 2.1 MiB in ");
    }

    @Test
    void notOnATerminalOnlyTheSummaryIsPrinted() throws IOException {
        twoBigOneSmall();
        assertThat(push()).isZero();
        assertThat(out().lines().toList()).hasSize(1).first().asString().startsWith(SUMMARY);
    }

    @Test
    void dryRunSaysWhatWouldBeSentAndWritesNothing() throws IOException {
        Trees.randomFile(source.resolve("same.bin"), 100_000, 1);
        Trees.randomFile(source.resolve("grown.txt"), 10, 2);
        assertThat(push("-q")).isZero();
        Trees.randomFile(source.resolve("grown.txt"), 20, 3);
        Trees.randomFile(source.resolve("touched.txt"), 30, 4);
        Files.copy(source.resolve("touched.txt"), target.resolve("touched.txt"));
        Files.setLastModifiedTime(target.resolve("touched.txt"), FileTime.fromMillis(1_000_000_000_000L));
        Trees.randomFile(source.resolve("new/dir/n.bin"), 3 * 1024 * 1024, 5);
        Files.createDirectories(source.resolve("clash"));
        Files.writeString(target.resolve("clash"), "a file on the receiver");
        Files.writeString(target.resolve("only-there.txt"), "kept");
        Map<String, String> before = snapshot(target);

        assertThat(push("-n", "-v")).as(err()).isZero();

        assertThat(snapshot(target)).isEqualTo(before);
        assertThat(partials()).isEmpty();
        List<String> lines = out().lines().toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.getFirst()).isEqualTo("replace   clash  a file on the receiver");
        assertThat(lines.subList(1, 5)).containsExactlyInAnyOrder(
                "unchanged same.bin",
                "changed   grown.txt  20 B, was 10 B",
                "changed   touched.txt  30 B, other mtime",
                "new       new/dir/n.bin  3.0 MiB");
        assertThat(lines.subList(5, 8)).containsExactlyInAnyOrder("mkdir     new/dir/", "mkdir     new/", "mkdir     clash/");
        assertThat(lines.getLast()).isEqualTo("ferry: dry run, nothing written: would send 3 files (3.0 MiB), 0 symlinks,"
                + " create 3 directories, replace 1, delete 0; 1 unchanged; 1 entry only on the receiver kept; 0 excluded");
    }

    @Test
    void dryRunAfterAPushFindsEverythingUnchanged() throws IOException {
        twoBigOneSmall();
        assertThat(push("-q")).isZero();
        assertThat(push("--dry-run")).isZero();
        assertThat(out()).isEqualTo("ferry: dry run, nothing written: would send 0 files (0 B), 0 symlinks, create 0 directories,"
                + " delete 0; 3 unchanged; 0 entries only on the receiver kept; 0 excluded\n");
    }

    @Test
    void dryRunOfOneFileIntoASubdirThatDoesNotExistYet() throws IOException {
        Path file = Trees.randomFile(tmp.resolve("report.pdf"), 1500, 9);
        String[] push = {"push", file.toString(), uri() + "/inbox/2026", "--token-file", tokenFile.toString(), "-n"};
        assertThat(Main.run(push)).as(err()).isZero();
        assertThat(out()).isEqualTo("new       inbox/2026/report.pdf  1.5 KiB\n"
                + "ferry: dry run, nothing written: would send 1 file (1.5 KiB), 0 symlinks, create 0 directories,"
                + " delete 0; 0 unchanged; 0 entries only on the receiver kept; 0 excluded\n");
        assertThat(target.resolve("inbox")).doesNotExist();

        push[push.length - 1] = "-q";
        assertThat(Main.run(push)).isZero();
        push[push.length - 1] = "--dry-run";
        stdio.resetOut();
        assertThat(Main.run(push)).isZero();
        assertThat(out()).isEqualTo("ferry: dry run, nothing written: would send 0 files (0 B), 0 symlinks, create 0"
                + " directories, delete 0; 1 unchanged; 0 entries only on the receiver kept; 0 excluded\n");
    }

    @Test
    void helpCommandPrintsTheSameAsDashDashHelp() {
        for (Verb verb : List.of(new PushCommand(), new ReceiveCommand(), new DaemonCommand(), new CheckConfigCommand(),
                new DemoCommand())) {
            stdio.resetOut();
            assertThat(Main.run("help", verb.name())).isZero();
            String viaHelp = out();
            stdio.resetOut();
            assertThat(Main.run(verb.name(), "--help")).isZero();
            assertThat(viaHelp).isEqualTo(out()).isEqualTo(verb.usage()).startsWith("Usage: ferry " + verb.name());
        }
        stdio.resetOut();
        assertThat(Main.run("help")).isZero();
        assertThat(out()).isEqualTo(Main.overview());
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        assertThat(Main.run("help", "pull")).isEqualTo(2);
        assertThat(Main.run("help", "push", "receive")).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: no help for unknown command 'pull' (commands: daemon, receive, push, status, check-config, keygen, id, demo)\n"
                + "ferry: help takes one command at most (got push receive)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void onAPseudoTerminalTheLiveLineIsRewrittenAndEndsWithTheSummary() throws IOException {
        Path script = Path.of("/usr/bin/script");
        assertThat(script).as("util-linux script(1), to run the push under a pseudo-terminal").isExecutable();
        Trees.randomFile(source.resolve("big.bin"), 24 * 1024 * 1024, 7);
        Files.writeString(source.resolve("small.txt"), "small");
        Exec.Result r;
        int port;
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            port = proxy.port();
            proxy.delay(Duration.ofMillis(100)); // a 200 ms round trip: the push lasts long enough for several updates
            String command = String.join(" ", FerryProcess.Builder.javaBinary(), "-XX:+UseSerialGC",
                    "--enable-native-access=ALL-UNNAMED", "-cp", // (as the jar's manifest grants it)
                    FerryProcess.Builder.classPath(),
                    Main.class.getName(), "push", source + "/", "ferry://127.0.0.1:" + proxy.port() + "/f", "--token-file",
                    tokenFile.toString(), "--no-digest-cache", "--chunk-size", "256KiB");
            r = Exec.run(Duration.ofSeconds(60), List.of(script.toString(), "-qec", command, "/dev/null"));
        }

        assertThat(r.exitCode()).as(r.output()).isZero();
        String output = r.output().replace("\r\n", "\n"); // (the terminal turns each \n into \r\n)
        // first, on stderr, the one warning of a push without an identity
        String warning = output.substring(0, output.indexOf('\n') + 1);
        assertThat(warning).as(output).contains(" WARN ").contains("traffic to 127.0.0.1:" + port
                + " is not encrypted (transport: plaintext)");
        output = output.substring(warning.length());
        List<String> updates = Stream.of(output.split("[\r\n]")).filter(s -> !s.isBlank()).map(String::strip).toList();
        assertThat(output).as(output).startsWith("\rferry: 0/2 files, 0.0/24.0 MiB (0%), --/s, ETA --:--");
        assertThat(updates.subList(0, updates.size() - 1)).as(output).hasSizeGreaterThan(2).allMatch(l -> l.matches(LIVE));
        assertThat(output.split("\n", -1)).as("one line of live updates, then the summary's").hasSize(2);
        assertThat(updates.getLast()).startsWith("ferry: pushed 2 files (0 unchanged), 0 symlinks (0 unchanged), 0 directories, 0 deleted, 0 excluded: 24.0 MiB in 97 chunks (0 re-sent) in ");
        // the live line is gone from the terminal before the summary: spaces over it, back to the start of the line
        assertThat(output).matches("(?s).*\r {20,}\rferry: pushed [^\r\n]*\n$");
        Trees.assertIdentical(source, target);
    }

    /** Every path under {@code root}, ferry's own state dir included, with its size, mtime and content hash. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String what = Files.isRegularFile(p) ? Files.size(p) + " " + Files.getLastModifiedTime(p) + " "
                        + java.util.Arrays.hashCode(Files.readAllBytes(p)) : Files.isDirectory(p) ? "dir" : "other";
                m.put(root.relativize(p).toString(), what);
            }
        }
        return m;
    }

    private List<Path> partials() throws IOException {
        Path dir = target.resolve(".ferry/partial");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
