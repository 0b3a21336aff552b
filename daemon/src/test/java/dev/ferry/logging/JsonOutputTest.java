package dev.ferry.logging;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.cli.Main;
import dev.ferry.testing.CapturedStdio;
import dev.ferry.testing.FerryProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code ferry daemon} whose config says {@code log-format: json}, and a {@code ferry receive --log-format json},
 * write one JSON object per line on stderr.
 */
class JsonOutputTest {
    @TempDir
    Path tmp;

    @Test
    void daemonWithLogFormatJsonWritesJsonLinesOnStderr() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        Path token = Secrets.write(tmp.resolve("token"), "json-output-test-token-0123456789\n");
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                log-format: json
                transport: plaintext
                state-dir: %s
                receive:
                  listen: 127.0.0.1:0
                  token-file: %s
                  folders:
                    f: { path: %s }
                """.formatted(tmp.resolve("state"), token, folder));
        Path stderr = tmp.resolve("stderr");
        Process p = new ProcessBuilder(List.of(FerryProcess.Builder.javaBinary(), "-cp", FerryProcess.Builder.classPath(),
                Main.class.getName(), "daemon", "--config", config.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readString(stderr).contains("receiver listening on"));
            p.destroy(); // SIGTERM: the stop is logged too
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }

        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(stderr)) {
            lines.add(json.readTree(line)); // (every line: a line that is not JSON fails here)
        }
        assertThat(lines).allSatisfy(l -> assertThat(l.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        JsonNode listening = lines.stream().filter(l -> l.get("message").asText().startsWith("receiver listening on ")).findFirst()
                .orElseThrow();
        assertThat(listening.get("level").asText()).isEqualTo("INFO");
        assertThat(listening.get("logger").asText()).isEqualTo("dev.ferry.receive.Receiver");
        assertThat(listening.get("thread").asText()).isEqualTo("main");
        assertThat(listening.get("message").asText()).matches("receiver listening on /?127\\.0\\.0\\.1:\\d+ folders=\\[f\\] durability=fsync transport=plaintext");
        assertThat(lines).anySatisfy(l -> assertThat(l.get("message").asText()).isEqualTo("SIGTERM: stopping (shutdown-timeout 10s)"));
    }

    @Test
    void receiveWithLogFormatJsonOnTheCommandLineWritesJsonLines() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        Path token = Secrets.write(tmp.resolve("token"), "json-output-test-token-0123456789\n");
        Path stderr = tmp.resolve("stderr");
        Process p = new ProcessBuilder(List.of(FerryProcess.Builder.javaBinary(), "-cp", FerryProcess.Builder.classPath(),
                Main.class.getName(), "receive", "--listen", "127.0.0.1:0", "--folder", "f=" + folder, "--token-file",
                token.toString(), "--log-format", "json"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        try {
            String line = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.readAllLines(stderr).stream().filter(l -> l.contains("receiver listening on"))
                            .findFirst().orElse(null), l -> l != null);
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.get("level").asText()).isEqualTo("INFO");
            assertThat(json.get("message").asText()).startsWith("receiver listening on ");
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void anUnknownLogFormatIsAUsageError() {
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("receive", "--listen", "127.0.0.1:0", "--folder", "f=" + tmp, "--token-file",
                    tmp.resolve("token").toString(), "--log-format", "yaml")).isEqualTo(2);
            assertThat(stdio.ferryErr()).isEqualTo("ferry: --log-format: expected text or json, got \"yaml\"\n");
        }
    }
}
