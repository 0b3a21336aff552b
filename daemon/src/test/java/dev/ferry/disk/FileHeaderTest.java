package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FileHeaderTest {
    private static final FileHeader TEST = new FileHeader(0x46545354, 3, "test file"); // "FTST"

    @Test
    void theHeaderIsMagicVersionAndAZeroReservedFieldBigEndian() {
        ByteBuffer b = TEST.put(ByteBuffer.allocate(FileHeader.LENGTH));
        assertThat(b.array()).containsExactly('F', 'T', 'S', 'T', 0, 3, 0, 0);
        assertThat(TEST.problem(b.flip(), FileHeader.LENGTH)).isNull();
        assertThat(FileHeader.reserved(b)).isZero();
    }

    @Test
    void aShortHeaderIsNamedWithTheLengthTheFormatNeeds() {
        ByteBuffer b = TEST.put(ByteBuffer.allocate(FileHeader.LENGTH)).flip();
        assertThat(TEST.problem(b.limit(7), FileHeader.LENGTH)).isEqualTo("header is 7 bytes, expected 8");
        assertThat(TEST.problem(b.limit(8), 28)).isEqualTo("header is 8 bytes, expected 28");
    }

    @Test
    void aForeignMagicThenAnotherVersionAreNamed() {
        ByteBuffer b = TEST.put(ByteBuffer.allocate(FileHeader.LENGTH)).flip();
        b.putShort(FileHeader.VERSION_OFFSET, (short) 4);
        assertThat(TEST.problem(b, FileHeader.LENGTH)).isEqualTo("format version=4, this build reads version=3");
        b.put(FileHeader.MAGIC_OFFSET, (byte) 'X');
        assertThat(TEST.problem(b, FileHeader.LENGTH))
                .isEqualTo("magic=0x58545354, expected 0x46545354 (not a test file)");
    }

    @Test
    void theReservedFieldIsReadForTheFormatToJudge() {
        ByteBuffer b = TEST.put(ByteBuffer.allocate(FileHeader.LENGTH)).flip();
        b.putShort(FileHeader.RESERVED_OFFSET, (short) 0xFFFF);
        assertThat(TEST.problem(b, FileHeader.LENGTH)).isNull();
        assertThat(FileHeader.reserved(b)).isEqualTo(0xFFFF);
    }
}
