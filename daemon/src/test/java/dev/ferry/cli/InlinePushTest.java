package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Direction;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameCodec;
import dev.ferry.wire.WireLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry push} sends the small files of its plan that the receiver lacks (or lists at another size) inline:
 * OFFER, chunk and COMMIT in one flight, without waiting for a NEED; one the receiver lists at the same size (touched,
 * a mode changed, every file with {@code --checksum}) may be there already: it asks first.
 */
class InlinePushTest extends InProcessPushTest {
    private static final int FILES = 30;
    private static final int FILE_BYTES = 10_000;

    InlinePushTest() {
        super("inline-push-token-0123456789");
    }

    @Test
    void newSmallFilesGoOutWholeBeforeTheReceiverAnswersAnything() throws Exception {
        for (int i = 0; i < FILES; i++) {
            Trees.randomFile(source.resolve("d" + (i % 3) + "/f" + i), FILE_BYTES, i);
        }
        try (FaultProxy proxy = new FaultProxy(receiver.address())) {
            // connection 1 is the listing, 2 the session: its receiver says CHALLENGE and WELCOME, then nothing
            proxy.onConnection(2).downstream().stallAfterBytes(handshakeAnswerBytes());
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> pushThrough(proxy));

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> proxy.bytesForwarded(2, Direction.UPSTREAM) >= (long) FILES * FILE_BYTES);
            proxy.onConnection(2).downstream().resume();

            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
        Trees.assertIdentical(source, target);
        assertThat(summary()).startsWith("ferry: pushed 30 files (0 unchanged)");
    }

    @Test
    void aTouchedFileIsOfferedNotResent() throws IOException {
        Trees.randomFile(source.resolve("t.bin"), FILE_BYTES, 1);
        assertThat(push()).isZero();
        long chunks = receiver.stats().snapshot().chunksReceived();
        java.nio.file.Files.setLastModifiedTime(source.resolve("t.bin"), java.nio.file.attribute.FileTime.fromMillis(1_000_000));

        assertThat(push()).isZero();

        assertThat(receiver.stats().snapshot().chunksReceived()).as("nothing sent again").isEqualTo(chunks);
        assertThat(summary()).startsWith("ferry: pushed 0 files (1 unchanged)");
        Trees.assertIdentical(source, target);
    }

    @Test
    void withChecksumTheFilesAreOfferedAndOnlyTheNeededOnesSent() throws IOException {
        for (int i = 0; i < FILES; i++) {
            Trees.randomFile(source.resolve("f" + i), FILE_BYTES, i);
        }
        assertThat(push()).isZero();
        long chunks = receiver.stats().snapshot().chunksReceived();

        assertThat(push("--checksum")).isZero();

        assertThat(receiver.stats().snapshot().chunksReceived()).as("nothing sent again").isEqualTo(chunks);
        assertThat(summary()).startsWith("ferry: pushed 0 files (30 unchanged)");
    }

    private int pushThrough(FaultProxy proxy) {
        return Main.run(new String[] {"push", source + "/", "ferry://127.0.0.1:" + proxy.port() + "/f",
                "--token-file", tokenFile.toString(), "--no-digest-cache"});
    }

    /** CHALLENGE and WELCOME as a plaintext receiver sends them (fixed-width fields: the values do not matter). */
    private static long handshakeAnswerBytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec codec = new FrameCodec(WireLimits.defaults());
        codec.write(out, new HandshakeFrame.Challenge(2, new byte[32]));
        codec.write(out, new HandshakeFrame.Welcome(1, 1, 0));
        return out.size();
    }
}
