package dev.ferry.logging;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.cli.Main;
import dev.ferry.testing.FerryProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code ferry receive} process whose stderr is the stream {@code JOURNAL_STREAM} names writes journal lines
 * (priority prefix, no timestamp); the same variable naming another file changes nothing (a child whose stderr was
 * redirected away from the journal inherits the variable).
 */
class JournalOutputTest {
    @TempDir
    Path tmp;

    @Test
    void underTheJournalLinesCarryThePriorityAndNoTimestamp() throws Exception {
        Path stderr = Files.createFile(tmp.resolve("stderr"));
        String line = firstListeningLine(stderr, devIno(stderr));
        assertThat(line).matches("<6>INFO  Receiver receiver listening on \\S+:\\d+ .*");
    }

    @Test
    void aJournalStreamThatIsNotOurStderrKeepsTheUsualLine() throws Exception {
        Path stderr = Files.createFile(tmp.resolve("stderr"));
        Path other = Files.createFile(tmp.resolve("other"));
        String line = firstListeningLine(stderr, devIno(other));
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO  Receiver receiver listening on .*");
    }

    private String firstListeningLine(Path stderr, String journalStream) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        Path token = Secrets.write(tmp.resolve("token"), "journal-test-token-0123456789\n");
        ProcessBuilder pb = new ProcessBuilder(List.of(FerryProcess.Builder.javaBinary(), "-cp",
                FerryProcess.Builder.classPath(), Main.class.getName(), "receive",
                "--listen", "127.0.0.1:0", "--folder", "f=" + folder, "--token-file", token.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        pb.environment().put("JOURNAL_STREAM", journalStream);
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        Process p = pb.start();
        try {
            return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readAllLines(stderr).stream().filter(l -> l.contains("receiver listening on"))
                            .findFirst().orElse(null), l -> l != null);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private static String devIno(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino");
        return a.get("dev") + ":" + a.get("ino");
    }
}
