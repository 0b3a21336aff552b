package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class RecordFrameTest {
    @Test
    void aFrameIsLengthTypeAndCrcOfTypeAndPayloadAheadOfThePayload() {
        ByteBuffer out = ByteBuffer.allocate(64).put((byte) 0x55); // a record need not start at 0
        int start = RecordFrame.begin(out);
        out.put(new byte[] {1, 2, 3});
        RecordFrame.finish(out, start, (byte) 0x07);

        CRC32C crc = new CRC32C();
        crc.update(new byte[] {0x07, 1, 2, 3});
        ByteBuffer expected = ByteBuffer.allocate(13).putInt(3).put((byte) 0x07).putInt((int) crc.getValue())
                .put(new byte[] {1, 2, 3});
        assertThat(start).isEqualTo(1);
        assertThat(out.position()).isEqualTo(1 + 12);
        assertThat(java.util.Arrays.copyOfRange(out.array(), 1, 13)).isEqualTo(java.util.Arrays.copyOf(expected.array(), 12));
        assertThat(out.getInt(start + RecordFrame.CRC_OFFSET)).isEqualTo(RecordFrame.crc((byte) 7, new byte[] {1, 2, 3}, 0, 3));
    }

    @Test
    void theWriterPutsTheHeaderAndFramesAsTheyWouldBeFramedByHand() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        RecordWriter w = new RecordWriter(Channels.newChannel(file), 16); // smaller than the second record
        w.put(ByteBuffer.wrap(new byte[] {9, 9}));
        w.begin(2).putShort((short) 0x0102);
        w.end((byte) 1);
        w.begin(20).put(new byte[20]);
        w.end((byte) 2);
        w.flush();

        ByteBuffer expected = ByteBuffer.allocate(2 + 11 + 29).put(new byte[] {9, 9});
        int first = RecordFrame.begin(expected);
        expected.putShort((short) 0x0102);
        RecordFrame.finish(expected, first, (byte) 1);
        int second = RecordFrame.begin(expected);
        expected.put(new byte[20]);
        RecordFrame.finish(expected, second, (byte) 2);
        assertThat(file.toByteArray()).isEqualTo(expected.array());
    }

    @Test
    void aRecordBegunTwiceWithoutAnEndIsABug() throws IOException {
        RecordWriter w = new RecordWriter(Channels.newChannel(new ByteArrayOutputStream()), 64);
        w.begin(4);
        assertThatThrownBy(() -> w.begin(4)).isInstanceOf(IllegalStateException.class)
                .hasMessage("record begun at 0 was not ended");
    }
}
