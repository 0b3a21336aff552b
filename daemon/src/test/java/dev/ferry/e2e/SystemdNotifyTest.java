package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.NotifySocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry daemon} as systemd runs it ({@code Type=notify}, {@code StateDirectory=}): a real process started with
 * {@code NOTIFY_SOCKET} pointing at a Unix datagram socket of the test ({@link NotifySocket}, the service manager's
 * end) and {@code STATE_DIRECTORY} set, and a config with a receiver and two sync pairs but no {@code state-dir}.
 * The pairs' targets are a port nobody listens on: a pair has started once it has scanned its source and its target
 * is retrying, which is all READY=1 promises. The process runs as the units' {@code -cp} equivalent, with
 * {@code --enable-native-access=ALL-UNNAMED} (what the jar's manifest grants), and must print no JVM warning.
 */
class SystemdNotifyTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofMillis(500);

    @TempDir
    Path tmp;

    @Test
    void daemonSendsReadyOnceStartedReloadingAroundAReloadAndStoppingWhenStopped() throws Exception {
        Path token = Secrets.write(tmp.resolve("token"), "systemd-notify-test-token-0123456789\n");
        Path inbox = Files.createDirectories(tmp.resolve("inbox"));
        Path stateDirectory = tmp.resolve("var-lib-ferry");
        Files.writeString(Files.createDirectories(tmp.resolve("photos")).resolve("a.txt"), "a\n");
        Files.createDirectories(tmp.resolve("music"));
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                transport: plaintext
                receive:
                  listen: 127.0.0.1:0
                  token-file: %1$s
                  folders:
                    inbox:
                      path: %2$s
                sync:
                  - source: %3$s
                    targets: [ "ferry://127.0.0.1:1/photos" ]
                    token-file: %1$s
                  - source: %4$s
                    targets: [ "ferry://127.0.0.1:1/music" ]
                    token-file: %1$s
                """.formatted(token, inbox, tmp.resolve("photos"), tmp.resolve("music")));

        try (NotifySocket systemd = NotifySocket.bind(tmp.resolve("notify"));
             FerryProcess daemon = FerryProcess.ferry("daemon", "--config", config.toString())
                     .env("NOTIFY_SOCKET", systemd.address()).env("STATE_DIRECTORY", stateDirectory.toString())
                     .logDir(tmp.resolve("logs")).start()) {
            int port = daemon.awaitReceiverPort(START);

            String ready = "READY=1\nSTATUS=2 pairs, receiver on 127.0.0.1:" + port;
            assertThat(systemd.receive(START)).hasValueSatisfying(m -> assertThat(m).startsWith(ready));
            daemon.awaitLog(Pattern.compile("daemon running: receiver=\\S+ pairs=2$"), Duration.ofSeconds(5));
            // the targets (port 1) cannot be reached: the STATUS= line follows within one refresh, then stays
            assertThat(systemd.receive(START.plus(Duration.ofSeconds(5)))).contains(
                    "STATUS=2 pairs, receiver on 127.0.0.1:" + port + "; 2 retrying");
            assertThat(systemd.receive(QUIET)).as("nothing more while nothing changes").isEmpty();
            try (Stream<Path> s = Files.list(stateDirectory)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pair-")).count())
                        .as("one state folder per pair under $STATE_DIRECTORY").isEqualTo(2);
            }

            daemon.signal("HUP");   // a reload of the unchanged file: RELOADING=1, then READY=1 again
            String reloading = systemd.receive(START).orElseThrow();
            assertThat(reloading).matches("RELOADING=1\nMONOTONIC_USEC=\\d+");
            assertThat(systemd.receive(START)).hasValueSatisfying(m -> assertThat(m).startsWith(ready));

            assertThat(daemon.stop(Duration.ofSeconds(20))).as("exit status after SIGTERM").isZero();

            assertThat(systemd.drain(QUIET)).containsExactly("STOPPING=1\nSTATUS=stopping");
            assertThat(daemon.logLines()).as("no JVM warning (native access is granted)")
                    .noneMatch(line -> line.startsWith("WARNING"));
        }
    }

    @Test
    void outsideSystemdTheDaemonNotifiesNobodyAndKeepsItsStateUnderXdgStateHome() throws Exception {
        Path token = Secrets.write(tmp.resolve("token"), "systemd-notify-test-token-0123456789\n");
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                transport: plaintext
                receive:
                  listen: 127.0.0.1:0
                  token-file: %s
                  folders:
                    inbox:
                      path: %s
                """.formatted(token, Files.createDirectories(tmp.resolve("inbox"))));
        Path xdg = tmp.resolve("xdg");

        try (FerryProcess check = FerryProcess.ferry("check-config", config.toString())
                .env("STATE_DIRECTORY", tmp.resolve("var-lib-ferry").toString()).env("XDG_STATE_HOME", xdg.toString())
                .logDir(tmp.resolve("logs")).start()) {
            assertThat(check.awaitExit(START)).isZero();
            assertThat(check.logLines().stream().filter(l -> l.contains("state-dir")))
                    .as("check-config shows $STATE_DIRECTORY as the state dir")
                    .containsExactly("  state-dir: " + tmp.resolve("var-lib-ferry"));
        }

        try (FerryProcess daemon = FerryProcess.ferry("daemon", "--config", config.toString())
                .env("XDG_STATE_HOME", xdg.toString()).logDir(tmp.resolve("logs")).start()) {
            daemon.awaitReceiverPort(START);
            daemon.awaitLog(Pattern.compile("daemon running: "), START);
            assertThat(Files.isDirectory(xdg.resolve("ferry"))).as("no STATE_DIRECTORY: $XDG_STATE_HOME/ferry").isTrue();
            daemon.stop(Duration.ofSeconds(20));
            assertThat(daemon.logLines()).noneMatch(line -> line.contains("NOTIFY_SOCKET") || line.startsWith("WARNING"));
        }
    }
}
