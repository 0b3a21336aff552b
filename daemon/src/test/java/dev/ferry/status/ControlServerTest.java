package dev.ferry.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Unix domain socket in a temp dir, real clients. */
class ControlServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void answersTheStatusLineWithTheSnapshotAsJson() throws IOException {
        Path socket = dir.resolve("control.sock");
        AtomicInteger asked = new AtomicInteger();
        try (ControlServer server = ControlServer.start(socket, () -> {
            asked.incrementAndGet();
            return SampleStatus.daemon();
        })) {
            String json = ControlClient.fetchJson(server.path(), WAIT);
            assertThat(StatusJson.read(json)).isEqualTo(SampleStatus.daemon());
            assertThat(json).startsWith("{\"version\":\"ferry 0.1.0\",\"pid\":4242,\"startedAt\":\"2026-12-06T09:17:00Z\","
                    + "\"takenAt\":\"2026-12-06T11:20:00Z\",\"pairs\":[{\"source\":\"/srv/photos\",\"watchedDirectories\":42,"
                    + "\"guardReason\":null,\"targets\":[{\"target\":\"ferry://backup.lan:7878/photos\",\"state\":\"syncing\",");
            assertThat(json).contains("\"state\":\"auth-failed\"", "\"state\":\"parked\"", "\"lastSync\":null",
                    "\"parked\":[{\"path\":\"secret.txt\",\"reason\":\"cannot read: permission denied\",\"retryAt\":\"2026-12-06T12:20:00Z\"}]");
            assertThat(json).doesNotContain("\n");
            assertThat(ControlClient.fetch(server.path(), WAIT)).isEqualTo(SampleStatus.daemon());
            assertThat(asked).hasValue(2);
        }
    }

    @Test
    void socketFileIsOwnerOnlyInADirectoryItCreatesOwnerOnly() throws IOException {
        Path socket = dir.resolve("run/ferry/control.sock");
        try (ControlServer server = ControlServer.start(socket, SampleStatus::daemon)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path()))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
            try (var files = Files.list(socket.getParent())) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("control.sock");
            }
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void replacesAStaleSocketNobodyListensOn() throws IOException {
        Path socket = dir.resolve("control.sock");
        try (ServerSocketChannel killed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            killed.bind(UnixDomainSocketAddress.of(socket)); // closed without removing the file, as a kill -9 leaves it
        }
        assertThat(socket).exists();
        try (ControlServer server = ControlServer.start(socket, SampleStatus::daemon)) {
            assertThat(ControlClient.fetch(server.path(), WAIT)).isEqualTo(SampleStatus.daemon());
        }
    }

    @Test
    void refusesASocketAnotherDaemonAnswersOnAndLeavesItAlone() throws IOException {
        Path socket = dir.resolve("control.sock");
        try (ControlServer first = ControlServer.start(socket, SampleStatus::daemon)) {
            assertThatThrownBy(() -> ControlServer.start(socket, SampleStatus::daemon))
                    .isInstanceOf(ControlServer.InUse.class)
                    .hasMessage("another ferry daemon answers at " + socket + "; stop it first, or give this one another state-dir");
            assertThat(ControlClient.fetch(first.path(), WAIT)).isEqualTo(SampleStatus.daemon());
        }
    }

    @Test
    void refusesToReplaceSomethingThatIsNotASocket() throws IOException {
        Path socket = dir.resolve("control.sock");
        Files.writeString(socket, "not mine");
        assertThatThrownBy(() -> ControlServer.start(socket, SampleStatus::daemon))
                .hasMessage("cannot open the control socket " + socket + ": it exists and is not a socket; move it away");
        assertThat(socket).hasContent("not mine");
    }

    @Test
    void aClientSendingOneMebibyteIsCutOffAndTheNextIsServed() throws Exception {
        Path socket = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(socket, SampleStatus::daemon);
             SocketChannel hostile = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    hostile.write(ByteBuffer.wrap(new byte[1 << 20])); // (the kernel may buffer all of it)
                    return hostile.read(ByteBuffer.allocate(16));
                } catch (IOException e) {
                    return -2; // broken pipe or reset: cut off while it wrote
                }
            });
            assertThat(flood.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("cut off without an answer").isIn(-1, -2);
            assertThat(ControlClient.fetch(server.path(), WAIT)).isEqualTo(SampleStatus.daemon());
        }
    }

    @Test
    void aSilentClientIsCutOffAtTheDeadlineWithoutKeepingTheNextFromItsAnswer() throws IOException {
        Path socket = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(socket, SampleStatus::daemon);
             SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            long start = System.nanoTime();
            assertThat(ControlClient.fetch(server.path(), WAIT)).isEqualTo(SampleStatus.daemon());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ControlServer.DEADLINE.plusSeconds(1));
            ByteBuffer b = ByteBuffer.allocate(16);
            assertThat(silent.read(b)).as("cut off: end of stream, no answer").isEqualTo(-1);
        }
    }

    @Test
    void answersAnUnknownRequestWithAnError() throws IOException {
        Path socket = dir.resolve("control.sock");
        try (ControlServer server = ControlServer.start(socket, SampleStatus::daemon);
             SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap("stop\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer b = ByteBuffer.allocate(256);
            while (c.read(b) >= 0) {
                // until the server closes
            }
            assertThat(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"error\":\"unknown request; send 'status'\"}\n");
        }
    }

    @Test
    void aSnapshotThatFailsOrIsNotThereYetIsAnErrorAnswerAndTheNextRequestIsServed() throws IOException {
        Path socket = dir.resolve("control.sock");
        AtomicInteger asked = new AtomicInteger();
        try (ControlServer server = ControlServer.start(socket, () -> switch (asked.incrementAndGet()) {
            case 1 -> null;
            case 2 -> throw new IllegalStateException("boom");
            default -> SampleStatus.daemon();
        })) {
            assertThat(ControlClient.fetchJson(server.path(), WAIT)).isEqualTo("{\"error\":\"" + ControlServer.STARTING + "\"}");
            assertThatThrownBy(() -> ControlClient.fetch(server.path(), WAIT)).isInstanceOf(IOException.class)
                    .hasMessage("the daemon answered: the daemon could not take its status: java.lang.IllegalStateException: boom");
            assertThat(ControlClient.fetch(server.path(), WAIT)).isEqualTo(SampleStatus.daemon());
        }
    }

    @Test
    void closeLeavesASocketFileThatIsNoLongerItsOwn() throws IOException {
        Path socket = dir.resolve("control.sock");
        ControlServer old = ControlServer.start(socket, SampleStatus::daemon);
        Files.delete(socket); // e.g. an operator removed it, and a new daemon bound the path since
        try (ControlServer current = ControlServer.start(socket, SampleStatus::daemon)) {
            old.close();
            assertThat(ControlClient.fetch(current.path(), WAIT)).isEqualTo(SampleStatus.daemon());
        }
    }

    @Test
    void noDaemonIsAClearError() {
        Path socket = dir.resolve("control.sock");
        assertThatThrownBy(() -> ControlClient.fetch(socket, WAIT))
                .isInstanceOf(ControlClient.NotAnswering.class)
                .hasMessageStartingWith("no ferry daemon answers at " + socket + " (is it running? ");
    }
}
