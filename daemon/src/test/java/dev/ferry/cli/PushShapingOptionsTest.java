package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code ferry push --compress} and {@code --bwlimit}, in-process against a real receiver on 127.0.0.1. */
class PushShapingOptionsTest extends InProcessPushTest {
    PushShapingOptionsTest() {
        super("push-shaping-token-0123456789");
    }

    @Test
    void compressZstdPushesTheTreeAndSaysWhatCrossedTheWire() throws IOException {
        Files.writeString(source.resolve("notes.txt"), "ferry keeps folders in sync\n".repeat(40_000)); // 1,120,000 bytes

        assertThat(push("--compress", "zstd:1")).as(stdio.ferryErr()).isZero();

        Trees.assertIdentical(source, target);
        assertThat(stdio.out()).containsPattern("ferry: compressed: 0\\.0 MiB on the wire for 1\\.1 MiB of chunks \\(0\\.\\d%\\)\n");
    }

    @Test
    void withoutCompressionThereIsNoCompressionLine() throws IOException {
        Files.writeString(source.resolve("notes.txt"), "ferry keeps folders in sync\n".repeat(40_000));

        assertThat(push("--compress", "none", "--bwlimit", "0")).isZero();

        assertThat(stdio.out()).startsWith("ferry: pushed 1 file").doesNotContain("compressed");
    }

    @Test
    void anUnknownAlgorithmOrATooLowLimitIsAUsageError() {
        assertThat(push("--compress", "gzip")).isEqualTo(2);
        assertThat(push("--bwlimit", "1KiB")).isEqualTo(2);
        assertThat(push("--bwlimit", "fast")).isEqualTo(2);

        assertThat(stdio.ferryErr()).isEqualTo("""
                ferry: --compress: unknown compression "gzip": use zstd, zstd:LEVEL (1..19) or none
                ferry: --bwlimit 1KiB is too low for chunks of 1MiB: use 0 (no limit) or at least 17477 (bytes per second), or a smaller --chunk-size
                ferry: --bwlimit: bad size "fast": expected a whole number of bytes with an optional unit, e.g. 1048576, 64KiB, 4 MiB, 1GiB
                """);
    }
}
