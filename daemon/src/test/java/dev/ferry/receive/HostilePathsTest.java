package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile names against a real receiver, each refused with its exact error while the connection serves on, and
 * DELETE and RENAME kept inside the folder and out of {@code .ferry/}. (Invalid UTF-8 never reaches the receiver's
 * checks: the frame decoder refuses it, see {@code FrameCodecTest.rejectsInvalidUtf8InPath}; so does a path over
 * 4096 bytes, {@code rejectsPathLongerThanLimit}.)
 */
class HostilePathsTest {
    @TempDir
    Path tmp;
    Path target;
    Path outside;
    Receiver receiver;
    RawClient c;
    int id;

    @BeforeEach
    void start() throws IOException {
        target = Files.createDirectories(tmp.resolve("target")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.writeString(outside.resolve("secret"), "outside");
        Files.createSymbolicLink(target.resolve("link"), outside);
        Files.writeString(target.resolve("x"), "x");
        receiver = Receiver.start(Loopback.receiverSettings(HostileClientTest.TOKEN, Map.of("f", target)));
        c = RawClient.authenticated(receiver.address().getPort(), "f", HostileClientTest.TOKEN);
    }

    @AfterEach
    void stop() throws IOException {
        c.close();
        receiver.close();
        assertThat(Trees.list(outside)).as("nothing outside changed").containsOnlyKeys("secret");
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("outside");
    }

    private Frame offer(String path) throws IOException {
        int fileId = ++id;
        return c.send(HostileClientTest.offer(fileId, path, "evil".getBytes(StandardCharsets.UTF_8)));
    }

    private Frame.Error refused(String message) {
        return new Frame.Error(ErrorCode.BAD_PATH, id, "refused path: " + message);
    }

    @Test
    void dotDotAbsoluteNulAndControlCharactersAreRefusedByName() throws IOException {
        assertThat(offer("a/../../outside/secret")).isEqualTo(refused("'..' segment in 'a/../../outside/secret'"));
        assertThat(offer("..")).isEqualTo(refused("'..' segment in '..'"));
        assertThat(offer("/etc/passwd")).isEqualTo(refused("absolute path '/etc/passwd'"));
        assertThat(offer("a\0b")).isEqualTo(refused("path contains NUL: 'a\\x00b'"));
        assertThat(offer("evil\n2026-12-06 INFO forged.txt"))
                .isEqualTo(refused("path contains a control character: 'evil\\x0a2026-12-06 INFO forged.txt'"));
        assertThat(offer("bell\u0007")).isEqualTo(refused("path contains a control character: 'bell\\x07'"));
        assertThat(offer("\u001b]0;title\u0007")).isEqualTo(refused("path contains a control character: '\\x1b]0;title\\x07'"));
        HostileClientTest.sendFile(c, ++id, "fine.txt", "fine".getBytes(StandardCharsets.UTF_8));
        assertThat(Trees.list(target)).containsOnlyKeys("fine.txt", "link", "x");
    }

    @Test
    void overlongNamesAndPathsAreRefused() throws IOException {
        assertThat(offer("d/" + "n".repeat(256)))
                .isEqualTo(refused("segment longer than 255 bytes in 'd/" + "n".repeat(198) + "...'"));
        String longest = String.join("/", java.util.Collections.nCopies(17, "p".repeat(240)));
        // 4096 bytes is allowed by the name rules; the kernel takes it too (PATH_MAX counts the NUL, but it is relative)
        Frame r = offer(longest);
        assertThat(r).isInstanceOf(Frame.Need.class);
        assertThat(offer("é".repeat(128))).isEqualTo(refused("segment longer than 255 bytes in '" + "é".repeat(128) + "'"));
    }

    @Test
    void aPathThroughASymlinkIsRefusedForEveryOperation() throws IOException {
        assertThat(offer("link/secret")).isEqualTo(refused("'link/secret' goes through a symlink on the receiver"));
        assertThat(offer("link/new")).isEqualTo(refused("'link/new' goes through a symlink on the receiver"));
        assertThat(c.send(new Frame.Delete(++id, "link/secret"))).isEqualTo(refused("'link/secret' goes through a symlink on the receiver"));
        assertThat(c.send(new Frame.Rename(++id, "link/secret", "stolen")))
                .isEqualTo(refused("'link/secret' goes through a symlink on the receiver"));
        assertThat(c.send(new Frame.Rename(++id, "x", "link/x"))).isEqualTo(refused("'link/x' goes through a symlink on the receiver"));
        assertThat(c.send(new Frame.Symlink(++id, "link/l", "x", 0, 0))).isEqualTo(refused("'link/l' goes through a symlink on the receiver"));
        assertThat(Files.readString(target.resolve("x"))).isEqualTo("x");
        // DELETE of the link itself removes the link, never what it points to
        assertThat(c.send(new Frame.Delete(++id, "link"))).isEqualTo(new Frame.Done(id));
        assertThat(Files.exists(target.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(receiver.stats().snapshot().pathsRefused()).isEqualTo(6);
    }

    @Test
    void deleteAndRenameNeverReachTheStateFolderOrOutside() throws IOException {
        HostileClientTest.sendFile(c, ++id, "kept.txt", "kept".getBytes(StandardCharsets.UTF_8));
        assertThat(c.send(new Frame.Delete(++id, ".ferry"))).isEqualTo(refused("'.ferry' is inside ferry's state folder .ferry/"));
        assertThat(c.send(new Frame.Delete(++id, ".ferry/partial")))
                .isEqualTo(refused("'.ferry/partial' is inside ferry's state folder .ferry/"));
        assertThat(c.send(new Frame.Rename(++id, ".ferry/partial", "stolen")))
                .isEqualTo(refused("'.ferry/partial' is inside ferry's state folder .ferry/"));
        assertThat(c.send(new Frame.Rename(++id, "kept.txt", ".ferry/partial/x.part")))
                .isEqualTo(refused("'.ferry/partial/x.part' is inside ferry's state folder .ferry/"));
        assertThat(c.send(new Frame.Rename(++id, "kept.txt", "../outside/kept.txt")))
                .isEqualTo(refused("'..' segment in '../outside/kept.txt'"));
        assertThat(c.send(new Frame.Delete(++id, "../outside"))).isEqualTo(refused("'..' segment in '../outside'"));
        assertThat(c.send(new Frame.Delete(++id, "/"))).isEqualTo(refused("absolute path '/'"));
        assertThat(c.send(new Frame.Symlink(++id, "up", "../outside", 0, 0)))
                .isEqualTo(refused("symlink 'up' -> '../outside' points outside the folder"));
        assertThat(Files.readString(target.resolve("kept.txt"))).isEqualTo("kept");
        assertThat(Files.isDirectory(target.resolve(".ferry"))).isTrue();
    }

    /**
     * Names are stored byte for byte as sent, like the file system does: an NFD name and its NFC twin are two files,
     * and nothing is ever matched by its normalised form, so neither can reach or replace the other.
     */
    @Test
    void unicodeNormalisationVariantsAreDistinctNamesAndNeverReachEachOther() throws IOException {
        String nfc = Normalizer.normalize("café.txt", Normalizer.Form.NFC);
        String nfd = Normalizer.normalize("café.txt", Normalizer.Form.NFD);
        assertThat(nfc).isNotEqualTo(nfd);
        HostileClientTest.sendFile(c, ++id, nfc, "composed".getBytes(StandardCharsets.UTF_8));
        HostileClientTest.sendFile(c, ++id, nfd, "decomposed".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target.resolve(nfc))).isEqualTo("composed");
        assertThat(Files.readString(target.resolve(nfd))).isEqualTo("decomposed");

        assertThat(c.send(new Frame.Delete(++id, nfd))).isEqualTo(new Frame.Done(id));
        assertThat(Files.readString(target.resolve(nfc))).isEqualTo("composed");
        assertThat(Files.exists(target.resolve(nfd))).isFalse();
    }
}
