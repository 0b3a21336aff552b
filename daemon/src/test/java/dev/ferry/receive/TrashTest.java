package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.ferry.auth.Token;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.FileSystem;
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
    static final Clock NOV_25 = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void deletedAndReplacedFilesGoToADatedFolderWithoutClobberingEachOther() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path root = Files.createDirectories(fs.getPath("/r"));
            Files.createDirectories(root.resolve("a"));
            Files.writeString(root.resolve("a/f.txt"), "v1");
            Trash.moveIn(root, root.resolve("a/f.txt"), NOV_25);
            Files.writeString(root.resolve("a/f.txt"), "v2");
            Trash.keepCopy(root, root.resolve("a/f.txt"), NOV_25);

            Path day = root.resolve(".ferry/trash/2026-11-25/a");
            assertThat(Files.readString(day.resolve("f.txt"))).isEqualTo("v1");
            assertThat(Files.readString(day.resolve("f.txt.1"))).isEqualTo("v2");
            assertThat(Files.readString(root.resolve("a/f.txt"))).isEqualTo("v2"); // keepCopy leaves the original
        }
    }

    @Test
    void expireRemovesOnlyDayFoldersPastTheRetention() throws IOException {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path root = Files.createDirectories(fs.getPath("/r"));
            Path trash = Trash.dir(root);
            for (String d : new String[] {"2026-11-10", "2026-11-18", "2026-11-25", "notes"}) {
                Files.createDirectories(trash.resolve(d).resolve("x"));
            }

            assertThat(Trash.expire(root, Duration.ofDays(7), NOV_25)).isEqualTo(1);

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
        try (Receiver r = Receiver.start(ReceiverSettings.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), token,
                Map.of("f", target)).withTrash(Duration.ofDays(7)));
             RawClient c = new RawClient(r.address().getPort())) {
            assertThat(c.handshake("f", token)).isInstanceOf(Frame.Welcome.class);
            assertThat(c.send(new Frame.Delete(1, "old.txt"))).isEqualTo(new Frame.Done(1));
            HostileClientTest.sendFile(c, 2, "x.bin", new byte[] {9, 9, 9, 9});
        }
        Path day = target.resolve(".ferry/trash").resolve(LocalDate.now().toString());
        assertThat(Files.exists(target.resolve("old.txt"))).isFalse();
        assertThat(Files.readString(day.resolve("old.txt"))).isEqualTo("precious");
        assertThat(Files.readAllBytes(day.resolve("x.bin"))).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(target.resolve("x.bin"))).containsExactly(9, 9, 9, 9);
    }
}
