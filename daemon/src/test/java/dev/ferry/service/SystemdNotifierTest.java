package dev.ferry.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.NotifySocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's datagrams, received on a real Unix datagram socket ({@link NotifySocket}, itself checked against
 * {@code systemd-notify}). The daemon sending them as a real process: {@code dev.ferry.e2e.SystemdNotifyTest}.
 */
class SystemdNotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(200);

    @TempDir
    Path tmp;

    @Test
    void sendsEveryMessageExactlyAndInOrderToAPath() throws Exception {
        try (NotifySocket socket = NotifySocket.bind(tmp.resolve("notify"))) {
            SystemdNotifier notifier = SystemdNotifier.to(socket.address());
            assertThat(notifier.enabled()).isTrue();

            notifier.ready("2 pairs, receiver on 0.0.0.0:7878");
            notifier.status("1 pair, no receiver");
            long before = System.nanoTime() / 1_000;   // HotSpot on Linux: CLOCK_MONOTONIC
            notifier.reloading();
            long after = System.nanoTime() / 1_000;
            notifier.ready("1 pair, receiver on [0:0:0:0:0:0:0:0]:7878");
            notifier.stopping();

            List<String> got = socket.drain(QUIET);
            assertThat(got).hasSize(5);
            assertThat(got.get(0)).isEqualTo("READY=1\nSTATUS=2 pairs, receiver on 0.0.0.0:7878");
            assertThat(got.get(1)).isEqualTo("STATUS=1 pair, no receiver");
            assertThat(got.get(2)).startsWith("RELOADING=1\nMONOTONIC_USEC=");
            long usec = Long.parseLong(got.get(2).substring("RELOADING=1\nMONOTONIC_USEC=".length()));
            assertThat(usec).as("CLOCK_MONOTONIC in microseconds").isBetween(before, after);
            assertThat(got.get(3)).isEqualTo("READY=1\nSTATUS=1 pair, receiver on [0:0:0:0:0:0:0:0]:7878");
            assertThat(got.get(4)).isEqualTo("STOPPING=1\nSTATUS=stopping");
        }
    }

    @Test
    void sendsToAnAbstractName() throws Exception {
        try (NotifySocket socket = NotifySocket.bindAbstract("ferry-notifier-" + ProcessHandle.current().pid())) {
            SystemdNotifier.to(socket.address()).ready("0 pairs, receiver on 127.0.0.1:7878");

            assertThat(socket.receive(WAIT)).contains("READY=1\nSTATUS=0 pairs, receiver on 127.0.0.1:7878");
        }
    }

    @Test
    void aStatusStaysOneLine() throws Exception {
        try (NotifySocket socket = NotifySocket.bind(tmp.resolve("notify"))) {
            SystemdNotifier.to(socket.address()).status("first\nREADY=1\r\n");

            assertThat(socket.receive(WAIT)).contains("STATUS=first READY=1");
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception {
        try (NotifySocket socket = NotifySocket.bind(tmp.resolve("notify"))) {
            for (String unset : new String[] {null, ""}) {
                SystemdNotifier notifier = SystemdNotifier.to(unset);
                assertThat(notifier.enabled()).isFalse();
                notifier.ready("x");
                notifier.reloading();
                notifier.stopping();
            }
            assertThat(socket.receive(QUIET)).isEmpty();
        }
    }

    @Test
    void anAddressThatIsNoUnixSocketIsRefusedWithAWarning() {
        String tooLong = "/" + "x".repeat(NotifyAddress.SUN_PATH_SIZE - 1);
        try (CapturedLog log = new CapturedLog(SystemdNotifier.class)) {
            assertThat(SystemdNotifier.to("run/notify").enabled()).isFalse();
            assertThat(SystemdNotifier.to("vsock:2:1234").enabled()).isFalse();
            assertThat(SystemdNotifier.to("@").enabled()).isFalse();
            assertThat(SystemdNotifier.to(tooLong).enabled()).isFalse();

            assertThat(log.at(Level.WARN)).containsExactly(
                    "NOTIFY_SOCKET='run/notify' is neither an absolute path nor an abstract socket name (@name);"
                            + " not notifying systemd",
                    "NOTIFY_SOCKET='vsock:2:1234' is neither an absolute path nor an abstract socket name (@name);"
                            + " not notifying systemd",
                    "NOTIFY_SOCKET='@' is neither an absolute path nor an abstract socket name (@name);"
                            + " not notifying systemd",
                    "NOTIFY_SOCKET='" + tooLong + "' is 108 bytes, longer than a Unix socket address holds (107);"
                            + " not notifying systemd");
        }
    }

    @Test
    void theLongestPathThatFitsIsUsed() {
        String longest = "/" + "x".repeat(NotifyAddress.SUN_PATH_SIZE - 2);   // 107 bytes + NUL = sun_path
        assertThat(NotifyAddress.parse(longest).sunPath()).hasSize(NotifyAddress.SUN_PATH_SIZE);
        assertThat(NotifyAddress.parse("@abc").sunPath()).containsExactly(0, 'a', 'b', 'c');
        assertThat(NotifyAddress.parse("/run/n").sunPath()).containsExactly('/', 'r', 'u', 'n', '/', 'n', 0);
    }

    @Test
    void aFailedSendIsLoggedAndTheDaemonGoesOn() {
        Path nobody = tmp.resolve("nobody-listens");
        try (CapturedLog log = new CapturedLog(SystemdNotifier.class)) {
            SystemdNotifier notifier = SystemdNotifier.to(nobody.toString());
            notifier.ready("x");

            assertThat(notifier.enabled()).isTrue();
            assertThat(log.at(Level.WARN)).containsExactly("could not notify systemd at NOTIFY_SOCKET=" + nobody
                    + ": sendto " + nobody + ": No such file or directory (errno 2)");
        }
    }
}
