package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CrcTrailerTest {
    private static byte[] sealed(byte[] content) {
        ByteBuffer b = ByteBuffer.allocate(content.length + CrcTrailer.LENGTH).put(content);
        return CrcTrailer.seal(b).array();
    }

    @Test
    void theTrailerIsTheCrcOfEveryByteBeforeItBigEndian() {
        byte[] file = sealed(new byte[] {1, 2, 3});
        CRC32C crc = new CRC32C();
        crc.update(new byte[] {1, 2, 3});
        assertThat(ByteBuffer.wrap(file).getInt(3)).isEqualTo((int) crc.getValue());

        ByteBuffer content = CrcTrailer.open(ByteBuffer.wrap(file));
        assertThat(content.position()).isZero();
        assertThat(content.remaining()).isEqualTo(3);
        assertThat(content.get(2)).isEqualTo((byte) 3);
    }

    @Test
    void aFlippedBitOrACutAnywhereIsRefused() {
        byte[] good = sealed("a small entry".getBytes());
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            assertThat(CrcTrailer.open(ByteBuffer.wrap(bad))).as("flipped at %d", i).isNull();
            assertThat(CrcTrailer.open(ByteBuffer.wrap(Arrays.copyOf(good, i)))).as("cut at %d", i).isNull();
        }
        assertThat(CrcTrailer.open(ByteBuffer.wrap(good))).isNotNull();
    }
}
