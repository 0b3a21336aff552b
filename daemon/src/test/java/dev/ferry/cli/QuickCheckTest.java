package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.receive.ReceiverStats;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ferry push}'s quick check, as rsync's: what the receiver holds with the same size, mtime and mode is left
 * out without being offered (so neither side reads it), a file changed with its size and mtime put back is missed,
 * and {@code --checksum} compares contents and catches it.
 */
class QuickCheckTest extends InProcessPushTest {
    QuickCheckTest() {
        super("quick-check-token-0123456789");
    }

    @BeforeEach
    void tree() throws IOException {
        Trees.randomFile(source.resolve("a/one.bin"), 5000, 1);
        Trees.randomFile(source.resolve("a/b/two.bin"), 70_000, 2);
        Trees.randomFile(source.resolve("three.bin"), 9 * 1024 * 1024 + 7, 3);
    }


    @Test
    void anUnchangedTreeIsLeftOutWithoutAnOfferOrARead() {
        assertThat(push()).isZero();
        ReceiverStats.Snapshot before = receiver.stats().snapshot();

        assertThat(push()).isZero();

        assertThat(summary()).isEqualTo("ferry: pushed 0 files (3 unchanged), 0 symlinks (0 unchanged), 2 directories,"
                + " 0 deleted, 0 excluded");
        ReceiverStats.Snapshot after = receiver.stats().snapshot();
        assertThat(after.filesUnchanged()).as("files the receiver was offered and found unchanged")
                .isEqualTo(before.filesUnchanged());
        assertThat(after.filesCommitted()).isEqualTo(before.filesCommitted());
        assertThat(after.chunksReceived()).isEqualTo(before.chunksReceived());
    }

    @Test
    void aFileChangedWithItsSizeAndMtimePutBackIsMissedAndCaughtByChecksum() throws IOException {
        assertThat(push()).isZero();
        Path two = source.resolve("a/b/two.bin");
        FileTime mtime = Files.getLastModifiedTime(two);
        byte[] bytes = Files.readAllBytes(two);
        bytes[100] ^= 1;
        Files.write(two, bytes);
        Files.setLastModifiedTime(two, mtime);

        assertThat(push()).isZero();

        assertThat(summary()).startsWith("ferry: pushed 0 files (3 unchanged)");
        assertThat(Files.readAllBytes(target.resolve("a/b/two.bin"))).as("the quick check misses it, as rsync's does")
                .isNotEqualTo(bytes);

        assertThat(push("--checksum")).isZero();

        assertThat(summary()).startsWith("ferry: pushed 1 file (2 unchanged)");
        Trees.assertIdentical(source, target);
    }

    @Test
    void aModeChangeAloneIsSent() throws IOException {
        assertThat(push()).isZero();
        Trees.mode(source.resolve("a/one.bin"), "rwx------");
        long offeredUnchanged = receiver.stats().snapshot().filesUnchanged();

        assertThat(push()).isZero();

        assertThat(summary()).startsWith("ferry: pushed 0 files (3 unchanged)");
        assertThat(receiver.stats().snapshot().filesUnchanged() - offeredUnchanged)
                .as("offered, found identical, its mode set").isEqualTo(1);
        Trees.assertIdentical(source, target);
    }
}
