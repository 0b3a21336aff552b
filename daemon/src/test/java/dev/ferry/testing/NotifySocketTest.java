package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test's end of {@code $NOTIFY_SOCKET} receives exactly what systemd's own client sends, so the notifier's
 * tests compare ferry against a receiver that is known to be right. {@code systemd-notify --no-block}: without it
 * systemd 252's client also sends {@code BARRIER=1} and waits for a service manager to answer.
 */
class NotifySocketTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void receivesWhatSystemdNotifySendsToAPath() throws Exception {
        try (NotifySocket socket = NotifySocket.bind(tmp.resolve("notify"))) {
            systemdNotify(socket, "--ready", "--status=2 pairs, receiver on 0.0.0.0:7878");

            assertThat(socket.receive(WAIT)).contains("READY=1\nSTATUS=2 pairs, receiver on 0.0.0.0:7878");
            assertThat(socket.receive(Duration.ofMillis(200))).isEmpty();
        }
        assertThat(tmp.resolve("notify")).as("close deletes the socket file").doesNotExist();
    }

    @Test
    void receivesWhatSystemdNotifySendsToAnAbstractName() throws Exception {
        try (NotifySocket socket = NotifySocket.bindAbstract("ferry-test-" + ProcessHandle.current().pid())) {
            assertThat(socket.address()).startsWith("@ferry-test-");

            systemdNotify(socket, "STOPPING=1");

            assertThat(socket.receive(WAIT)).contains("STOPPING=1");
        }
    }

    @Test
    void receiveGivesUpAfterItsTimeout() throws Exception {
        try (NotifySocket socket = NotifySocket.bind(tmp.resolve("quiet"))) {
            long t0 = System.nanoTime();
            Optional<String> none = socket.receive(Duration.ofMillis(300));
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(none).isEmpty();
            assertThat(waitedMs).isBetween(250L, 5_000L);
        }
    }

    private static void systemdNotify(NotifySocket socket, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/env", "NOTIFY_SOCKET=" + socket.address(),
                SystemdTools.require("systemd-notify").toString(), "--no-block"));
        command.addAll(List.of(args));
        Exec.run(WAIT, command).orThrow();
    }
}
