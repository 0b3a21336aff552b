package dev.ferry.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.HashAlgorithm;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ByteBuffer digests (our own XXH3 long-input code, SHA-256 on buffers) agree with the byte-array ones. */
class ChunkDigesterTest {
    private static final byte[] DATA = new byte[(1 << 20) + 4096];

    static {
        new Random(42).nextBytes(DATA);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void everyLengthUpTo4KiBAndSomeLargeOnesMatchTheArrayDigest(HashAlgorithm algorithm) {
        ChunkDigester d = ChunkDigester.of(algorithm);
        Random random = new Random(7);
        ByteBuffer direct = ByteBuffer.allocateDirect(DATA.length).put(DATA).clear();
        ByteBuffer heap = ByteBuffer.wrap(DATA);
        int checked = 0;
        for (int len = 0; len <= 4096 + 64; len++) {
            check(d, direct, heap, random.nextInt(DATA.length - len + 1), len);
            checked++;
        }
        int[] large = {1023, 1024, 1025, 1088, 1089, 65536, 65537, 1 << 20, (1 << 20) - 1, (1 << 20) + 1};
        for (int len : large) {
            check(d, direct, heap, 3, len);
            checked++;
        }
        for (int i = 0; i < 50; i++) {
            int len = random.nextInt(DATA.length);
            check(d, direct, heap, random.nextInt(DATA.length - len + 1), len);
            checked++;
        }
        assertThat(checked).isEqualTo(4161 + large.length + 50);
    }

    private static void check(ChunkDigester d, ByteBuffer direct, ByteBuffer heap, int off, int len) {
        byte[] expected = d.digest(DATA, off, len);
        for (ByteBuffer b : new ByteBuffer[] {direct, heap}) {
            b.limit(off + len).position(off);
            byte[] actual = new byte[expected.length + 3];
            d.digest(b, actual, 3);
            assertThat(java.util.Arrays.copyOfRange(actual, 3, actual.length)).as("len=%d off=%d direct=%s", len, off, b.isDirect())
                    .isEqualTo(expected);
            assertThat(b.position()).isEqualTo(off);
            assertThat(b.limit()).isEqualTo(off + len);
            b.clear();
        }
    }
}
