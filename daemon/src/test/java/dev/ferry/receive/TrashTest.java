package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrashTest {
    static final Token TOKEN = Token.of("trash-test-token-0123456789");
    static final Clock NOV_25 = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void deletedAndReplacedFilesGoToADatedFolderWithoutClobberingEachOther(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("r"));
        try (Beneath folder = Beneath.open(root)) {
            Files.createDirectories(root.resolve("a"));
            Files.writeString(root.resolve("a/f.txt"), "v1");
            Trash.moveIn(folder, "a/f.txt", NOV_25);
            Files.writeString(root.resolve("a/f.txt"), "v2");
            Trash.keepCopy(folder, "a/f.txt", NOV_25);

            Path day = root.resolve(".ferry/trash/2026-11-25/a");
            assertThat(Files.readString(day.resolve("f.txt"))).isEqualTo("v1");
            assertThat(Files.readString(day.resolve("f.txt.1"))).isEqualTo("v2");
            assertThat(Files.readString(root.resolve("a/f.txt"))).isEqualTo("v2"); // keepCopy leaves the original
        }
    }

    @Test
    void expireRemovesOnlyDayFoldersPastTheRetention(@TempDir Path tmp) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("r"));
        try (Beneath folder = Beneath.open(root)) {
            Path trash = root.resolve(Trash.DIR);
            for (String d : new String[] {"2026-11-10", "2026-11-18", "2026-11-25", "notes"}) {
                Files.createDirectories(trash.resolve(d).resolve("x"));
            }

            assertThat(Trash.expire(folder, Duration.ofDays(7), NOV_25)).isEqualTo(1);

            try (var names = Files.list(trash)) {
                assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("2026-11-18", "2026-11-25", "notes");
            }
        }
    }

    @Test
    void receiverWithATrashKeepsWhatDeleteAndReplaceWouldDestroy(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("t"));
        Files.writeString(target.resolve("old.txt"), "precious");
        Files.write(target.resolve("x.bin"), new byte[] {1, 2, 3});
        Token token = Token.of("trash-test-token-0123456789");
        try (Receiver r = Receiver.start(Loopback.receiverSettings(token,
                Map.of("f", target)).withTrash(Duration.ofDays(7)));
             RawClient c = new RawClient(r.address().getPort())) {
            assertThat(c.handshake("f", token)).isInstanceOf(HandshakeFrame.Welcome.class);
            assertThat(c.send(new Frame.Delete(1, "old.txt"))).isEqualTo(new Frame.Done(1));
            HostileClientTest.sendFile(c, 2, "x.bin", new byte[] {9, 9, 9, 9});
        }
        Path day = target.resolve(".ferry/trash").resolve(LocalDate.now().toString());
        assertThat(Files.exists(target.resolve("old.txt"))).isFalse();
        assertThat(Files.readString(day.resolve("old.txt"))).isEqualTo("precious");
        assertThat(Files.readAllBytes(day.resolve("x.bin"))).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(target.resolve("x.bin"))).containsExactly(9, 9, 9, 9);
    }

    @Test
    void aRenameOverAnExistingPathKeepsWhatItReplacesInTheTrash(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("t"));
        Files.writeString(target.resolve("new.txt"), "v2");
        Files.writeString(target.resolve("doc.txt"), "v1, precious");
        Files.writeString(target.resolve("file.txt"), "replaces a directory");
        Files.createDirectories(target.resolve("stale"));
        Files.writeString(target.resolve("stale/inner.txt"), "in a stale directory");
        Files.createDirectories(target.resolve("album"));
        Files.writeString(target.resolve("album/p.jpg"), "photo");
        Files.createSymbolicLink(target.resolve("link"), Path.of("doc.txt"));
        try (Receiver r = Receiver.start(settings(target).withTrash(Duration.ofDays(7)));
             RawClient c = new RawClient(r.address().getPort())) {
            assertThat(c.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
            assertThat(c.send(new Frame.Rename(1, "new.txt", "doc.txt"))).isEqualTo(new Frame.Done(1));
            assertThat(c.send(new Frame.Rename(2, "file.txt", "stale"))).isEqualTo(new Frame.Done(2));
            assertThat(c.send(new Frame.Rename(3, "album", "link"))).isEqualTo(new Frame.Done(3));
            assertThat(c.send(new Frame.Rename(4, "link", "fresh"))).isEqualTo(new Frame.Done(4)); // nothing replaced
        }
        Path day = target.resolve(".ferry/trash").resolve(LocalDate.now().toString());
        assertThat(Trees.list(day).keySet()).containsExactly("doc.txt", "link", "stale", "stale/inner.txt");
        assertThat(Files.readString(day.resolve("doc.txt"))).isEqualTo("v1, precious");
        assertThat(Files.readString(day.resolve("stale/inner.txt"))).isEqualTo("in a stale directory");
        assertThat(Files.readSymbolicLink(day.resolve("link"))).isEqualTo(Path.of("doc.txt"));
        assertThat(Trees.list(target).keySet()).containsExactly("doc.txt", "fresh", "fresh/p.jpg", "stale");
        assertThat(Files.readString(target.resolve("doc.txt"))).isEqualTo("v2");
        assertThat(Files.readString(target.resolve("stale"))).isEqualTo("replaces a directory");
        assertThat(Files.readString(target.resolve("fresh/p.jpg"))).isEqualTo("photo");
    }

    @Test
    void withoutATrashARenameReplacesWhatIsInTheWayAndKeepsNothing(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("t"));
        Files.createDirectories(target.resolve("d/sub"));
        Files.writeString(target.resolve("d/sub/new.txt"), "new");
        Files.createDirectories(target.resolve("e/old"));
        Files.writeString(target.resolve("e/old/stale.txt"), "stale");
        Files.writeString(target.resolve("f.txt"), "a file where a directory was");
        Files.createDirectories(target.resolve("g/h"));
        try (Receiver r = Receiver.start(settings(target));
             RawClient c = new RawClient(r.address().getPort())) {
            assertThat(c.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
            assertThat(c.send(new Frame.Rename(1, "d", "e"))).isEqualTo(new Frame.Done(1));
            assertThat(c.send(new Frame.Rename(2, "f.txt", "g"))).isEqualTo(new Frame.Done(2));
        }
        assertThat(Trees.list(target).keySet()).containsExactly("e", "e/sub", "e/sub/new.txt", "g");
        assertThat(Files.readString(target.resolve("g"))).isEqualTo("a file where a directory was");
        assertThat(Files.exists(target.resolve(".ferry/trash"))).isFalse();
    }

    @Test
    void aRenameOverTheDirectoryHoldingItIsRefusedBeforeAnythingMoves(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("t"));
        Files.createDirectories(target.resolve("a/b"));
        Files.writeString(target.resolve("a/b/f.txt"), "keep me");
        for (boolean trash : new boolean[] {false, true}) {
            ReceiverSettings s = trash ? settings(target).withTrash(Duration.ofDays(7)) : settings(target);
            try (Receiver r = Receiver.start(s);
                 RawClient c = new RawClient(r.address().getPort())) {
                assertThat(c.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
                assertThat(c.send(new Frame.Rename(1, "a/b", "a"))).isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 1,
                        "refused path: cannot move 'a/b' over 'a', which holds it"));
            }
            assertThat(Trees.list(target).keySet()).as("trash=%s", trash).containsExactly("a", "a/b", "a/b/f.txt");
            assertThat(Files.exists(target.resolve(".ferry/trash"))).isFalse();
        }
    }

    private static ReceiverSettings settings(Path folder) {
        return Loopback.receiverSettings(TOKEN, Map.of("f", folder));
    }
}
