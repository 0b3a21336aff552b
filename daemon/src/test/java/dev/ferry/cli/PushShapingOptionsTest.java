package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.testing.CapturedStdio;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Secrets;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ferry push --compress} and {@code --bwlimit}, in-process against a real receiver on 127.0.0.1. */
class PushShapingOptionsTest extends LoopbackReceiverTest {
    private static final String SECRET = "push-shaping-token-0123456789";
    private CapturedStdio stdio;
    private Path tokenFile;

    PushShapingOptionsTest() {
        super(Token.of(SECRET), "f");
    }

    @BeforeEach
    void capture() throws IOException {
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, SECRET + "\n");
        stdio = CapturedStdio.start();
    }

    @AfterEach
    void restore() {
        stdio.close();
    }

    private int push(String... options) {
        List<String> args = new ArrayList<>(List.of("push", source + "/", "ferry://127.0.0.1:" + receiver.address().getPort()
                + "/f", "--token-file", tokenFile.toString(), "--no-digest-cache"));
        args.addAll(List.of(options));
        return Main.run(args.toArray(String[]::new));
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
