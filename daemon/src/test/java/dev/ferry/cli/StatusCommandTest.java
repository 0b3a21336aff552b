package dev.ferry.cli;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.status.ControlServer;
import dev.ferry.status.SampleStatus;
import dev.ferry.testing.CapturedStdio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry status} in-process against a real control socket serving a hand-made snapshot. */
class StatusCommandTest {
    @TempDir
    Path dir;
    private CapturedStdio stdio;

    @BeforeEach
    void capture() {
        stdio = CapturedStdio.start();
    }

    @AfterEach
    void restore() {
        stdio.close();
    }

    @Test
    void printsTheTableFromTheSocketGiven() throws IOException {
        try (ControlServer server = ControlServer.start(dir.resolve("control.sock"), SampleStatus::daemon)) {
            assertThat(Main.run("status", "--socket", server.path().toString())).isZero();
        }
        assertThat(stdio.out().lines().toList()).isEqualTo(StatusTable.render(SampleStatus.daemon()));
    }

    @Test
    void printsIndentedJsonWithJson() throws IOException {
        try (ControlServer server = ControlServer.start(dir.resolve("control.sock"), SampleStatus::daemon)) {
            assertThat(Main.run("status", "--json", "--socket", server.path().toString())).isZero();
        }
        List<String> lines = stdio.out().lines().toList();
        assertThat(lines.subList(0, 5)).containsExactly("{", "  \"version\" : \"ferry 0.1.0\",", "  \"pid\" : 4242,",
                "  \"startedAt\" : \"2026-12-06T09:17:00Z\",", "  \"takenAt\" : \"2026-12-06T11:20:00Z\",");
        assertThat(lines).contains("      \"state\" : \"auth-failed\",", "      \"state\" : \"parked\",");
        assertThat(lines.getLast()).isEqualTo("}");
    }

    @Test
    void findsTheSocketInTheStateDirOfTheConfigGiven() throws IOException {
        Path state = dir.resolve("state");
        Path config = dir.resolve("site.yaml");
        writeConfig(config, state);
        try (ControlServer ignored = ControlServer.start(state.resolve("control.sock"), SampleStatus::daemon)) {
            assertThat(Main.run("status", "--config", config.toString())).isZero();
        }
        assertThat(stdio.out()).startsWith("ferry 0.1.0, pid 4242, up 2h3m\n");
    }

    @Test
    void noDaemonAnsweringIsExitOneWithWhereItLooked() throws IOException {
        Path socket = dir.resolve("control.sock");
        assertThat(Main.run("status", "--socket", socket.toString())).isEqualTo(ExitCode.FAILED);
        assertThat(stdio.ferryErr()).startsWith("ferry: no ferry daemon answers at " + socket + " (is it running? ");

        Path config = dir.resolve("site.yaml");
        writeConfig(config, dir.resolve("state"));
        stdio.close();
        stdio = CapturedStdio.start();
        assertThat(Main.run("status", "--config", config.toString())).isEqualTo(ExitCode.FAILED);
        assertThat(stdio.ferryErr()).startsWith("ferry: no ferry daemon answers at " + dir.resolve("state/control.sock")
                + " (is it running? no socket there; nor at /run/ferry-site/control.sock, /run/ferry/control.sock; "
                + "give --socket PATH or --config FILE)");
    }

    private void writeConfig(Path config, Path state) throws IOException {
        Path token = Secrets.write(dir.resolve("token"), "status-test-token-0123456789\n");
        Path folder = Files.createDirectories(dir.resolve("in"));
        Files.writeString(config, "transport: plaintext\nstate-dir: " + state + "\nreceive:\n  listen: 127.0.0.1:0\n  token-file: " + token
                + "\n  folders:\n    f:\n      path: " + folder + "\n");
    }

    @Test
    void configAndSocketTogetherAreAUsageError() {
        assertThat(Main.run("status", "--config", "a.yaml", "--socket", "b")).isEqualTo(ExitCode.USAGE);
        assertThat(stdio.ferryErr()).contains("ferry: status takes --config FILE or --socket PATH, not both");
    }

    @Test
    void looksInTheRuntimeDirectoryFirstThenWhereTheUnitsPutIt() {
        Path state = Path.of("/var/lib/ferry");
        assertThat(ControlSocketPaths.forDaemon("/run/ferry:/run/other", state)).isEqualTo(Path.of("/run/ferry/control.sock"));
        assertThat(ControlSocketPaths.forDaemon(null, state)).isEqualTo(Path.of("/var/lib/ferry/control.sock"));
        assertThat(ControlSocketPaths.forDaemon("relative", state)).isEqualTo(Path.of("/var/lib/ferry/control.sock"));
        assertThat(ControlSocketPaths.candidates(null, null, null, Path.of("/home/u/.local/state/ferry"))).containsExactly(
                Path.of("/run/ferry/control.sock"), Path.of("/home/u/.local/state/ferry/control.sock"));
        assertThat(ControlSocketPaths.candidates("/run/ferry-x", Path.of("/etc/ferry/x.yaml"), Path.of("/srv/state"),
                Path.of("/ignored"))).as("each once").containsExactly(Path.of("/run/ferry-x/control.sock"),
                Path.of("/srv/state/control.sock"), Path.of("/run/ferry/control.sock"));
        assertThat(ControlSocketPaths.candidates("", Path.of("/etc/ferry/ferry.yaml"), Path.of("/var/lib/ferry"),
                Path.of("/ignored"))).containsExactly(Path.of("/var/lib/ferry/control.sock"), Path.of("/run/ferry/control.sock"));
    }
}
