package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Secrets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret in anything ferry prints (issue 14 item 4): a daemon at TRACE level that receives and sends with the right
 * token, a second pair with a wrong one (auth failures on both sides), a one-shot push refused for its token, the
 * status table and JSON, a metrics scrape and check-config: none of their output holds either token, whole or in
 * part. Real processes on 127.0.0.1.
 */
class SecretsNeverShownTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String TOKEN = "Right-Token-Secret-4f9c2a7e1b";
    static final String WRONG = "Wrong-Token-Secret-8d3e6b0a5c";

    @TempDir
    Path tmp;

    @Test
    void noOutputOfAnyCommandHoldsAToken() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(src.resolve("a.txt"), "a");
        Files.writeString(other.resolve("b.txt"), "b");
        Path token = Secrets.write(tmp.resolve("token"), TOKEN + "\n");
        Path wrong = Secrets.write(tmp.resolve("wrong"), WRONG + "\n");
        int port = freePort();
        int metrics = freePort();
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                transport: plaintext
                state-dir: %s
                metrics: 127.0.0.1:%d
                receive:
                  listen: 127.0.0.1:%d
                  token-file: %s
                  folders:
                    t:
                      path: %s
                sync:
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%3$d/t" ]
                    token-file: %4$s
                  - source: %s
                    targets: [ "ferry://127.0.0.1:%3$d/t/other" ]
                    token-file: %s
                """.formatted(tmp.resolve("state"), metrics, port, token, tmp.resolve("dst"), src, other, wrong));

        List<String> shown = new ArrayList<>();
        try (FerryProcess daemon = FerryProcess.ferry("daemon", "--config", config.toString())
                .env("FERRY_LOG_LEVEL", "TRACE").logDir(tmp.resolve("daemon-logs")).start()) {
            daemon.awaitLog(Pattern.compile("authentication failed"), WAIT);
            Awaitility.await().atMost(WAIT).until(() -> Files.exists(tmp.resolve("dst/a.txt")));
            shown.addAll(run("status", "--config", config.toString()));
            shown.addAll(run("status", "--json", "--config", config.toString()));
            shown.addAll(run("check-config", config.toString()));
            shown.addAll(run("push", "-v", src + "/", "ferry://127.0.0.1:" + port + "/t/push", "--token-file",
                    wrong.toString()));
            shown.addAll(run("push", "-v", src + "/", "ferry://127.0.0.1:" + port + "/t/push", "--token-file",
                    token.toString()));
            try (HttpClient http = HttpClient.newHttpClient()) {
                shown.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body());
            }
            assertThat(daemon.stop()).isZero();
            shown.addAll(daemon.logLines());
        }
        String all = String.join("\n", shown);
        assertThat(all).as("the runs did what they are here for").contains("authentication failed", "in sync",
                "pushed 1 file");
        for (String secret : List.of(TOKEN, WRONG)) {
            for (String part : List.of(secret, secret.substring(0, 12), secret.substring(secret.length() - 12))) {
                assertThat(all).as("output holding (part of) a token").doesNotContain(part);
            }
        }
        try (Stream<Path> files = Files.walk(tmp.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as("state file " + f)
                        .doesNotContain(TOKEN).doesNotContain(WRONG);
            }
        }
    }

    private List<String> run(String verb, String... args) throws IOException {
        Path logs = tmp.resolve("logs-" + verb + "-" + System.nanoTime());
        try (FerryProcess p = FerryProcess.ferry(verb, args).env("FERRY_LOG_LEVEL", "TRACE").logDir(logs).start()) {
            p.awaitExit(WAIT);
            return p.logLines();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
