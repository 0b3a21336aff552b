package dev.ferry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code ferry receive} and {@code ferry push} processes on 127.0.0.1, killed and stopped. */
class FerryProcessTest {
    static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    Path token;
    Path source;
    Path target;

    @BeforeEach
    void files() throws IOException {
        token = Secrets.write(tmp.resolve("token"), "test-token-0123456789abcdef\n");
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        Trees.randomFile(source.resolve("a.bin"), 300_000, 1);
        Trees.randomFile(source.resolve("sub/b.bin"), 5_000, 2);
    }

    FerryProcess.Builder receiver() {
        return FerryProcess.ferry("receive", "--listen", "127.0.0.1:0", "--folder", "photos=" + target,
                "--token-file", token.toString()).logDir(tmp.resolve("logs"));
    }

    @Test
    void receiverKilledWithSigkillIsGoneAndItsPortIsFree() throws IOException {
        try (FerryProcess receiver = receiver().env("FERRY_LOG_LEVEL", "DEBUG").start()) {
            int port = receiver.awaitReceiverPort(START);
            try (FerryProcess push = FerryProcess.ferry("push", source + "/", "ferry://127.0.0.1:" + port + "/photos",
                    "--token-file", token.toString()).logDir(tmp.resolve("logs")).start()) {
                assertThat(push.awaitExit(START)).as("push exit code").isZero();
                push.awaitLog(Pattern.compile("pushed 2 files"), Duration.ZERO);
            }
            Trees.assertIdentical(source, target);
            receiver.awaitLog(Pattern.compile(" DEBUG "), START); // FERRY_LOG_LEVEL reached the process
            long pid = receiver.pid();

            assertThat(receiver.kill9()).isEqualTo(128 + 9);

            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(receiver.isAlive()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            assertThat(receiver.logLines()).noneMatch(l -> l.contains("stopped")); // no shutdown hook ran
        }
    }

    @Test
    void stopSendsSigtermAndReturnsTheExitCode() throws IOException {
        try (FerryProcess receiver = receiver().start()) {
            receiver.awaitReceiverPort(START);

            int code = receiver.stop();

            // 0: ferry handles SIGTERM itself (an orderly stop), where the JVM's default would exit with 143
            assertThat(code).isZero();
            assertThat(receiver.isAlive()).isFalse();
        }
    }

    @Test
    void awaitLogFailsAtOnceWithTheLogWhenTheProcessExits() throws IOException {
        try (FerryProcess bad = FerryProcess.ferry("receive", "--listen", "127.0.0.1:0").start()) {
            assertThatThrownBy(() -> bad.awaitLog(Pattern.compile("never printed"), START))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with 2")
                    .hasMessageContaining("receive needs --listen HOST:PORT, --folder NAME=DIR and --identity DIR or --token-file FILE");
            assertThat(bad.exitCode()).hasValue(2);
        }
    }

    @Test
    void closeKillsTheProcessAndDeletesItsOwnLogFolder() throws IOException {
        FerryProcess p = FerryProcess.java(TcpSink.class).start();
        p.awaitListeningPort(START);
        Path log = p.log();

        p.close();

        assertThat(p.isAlive()).isFalse();
        assertThat(log.getParent()).doesNotExist();
    }
}
