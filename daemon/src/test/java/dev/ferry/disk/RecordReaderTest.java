package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files framed by hand (an 8-byte header, then records whose payload is their own index repeated) and then cut or
 * damaged: the reader keeps exactly the records before the damage and names the offset where the good part ends.
 */
class RecordReaderTest {
    private static final int HEADER = 8;

    @TempDir
    Path dir;

    /** A header of 8 bytes, then records 0..n-1 of type 1; record i has i + 1 payload bytes, each = i. */
    private static byte[] file(int n) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + n * RecordFrame.HEADER_LENGTH + n * (n + 1) / 2);
        b.put(new byte[HEADER]);
        for (int i = 0; i < n; i++) {
            int start = RecordFrame.begin(b);
            byte[] payload = new byte[i + 1];
            Arrays.fill(payload, (byte) i);
            b.put(payload);
            RecordFrame.finish(b, start, (byte) 1);
        }
        return b.array();
    }

    /** Offsets where each record of {@link #file} ends. */
    private static List<Integer> ends(int n) {
        List<Integer> ends = new ArrayList<>();
        int pos = HEADER;
        for (int i = 0; i < n; i++) {
            pos += RecordFrame.HEADER_LENGTH + i + 1;
            ends.add(pos);
        }
        return ends;
    }

    private record Read(RecordReader.Result result, List<Integer> payloads) {
    }

    private Read read(byte[] bytes, int bufferBytes, int maxPayload, RecordReader.Handler extra) throws IOException {
        Path f = dir.resolve("records.bin");
        Files.write(f, bytes);
        List<Integer> payloads = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            RecordReader r = new RecordReader(ch, bufferBytes, maxPayload);
            RecordReader.Result result = r.records(HEADER, (type, p) -> {
                boolean more = extra.accept(type, p);
                byte first = p.get(0);
                for (int i = 0; i < p.remaining(); i++) {
                    assertThat(p.get(i)).isEqualTo(first);
                }
                payloads.add(p.remaining());
                return more;
            });
            return new Read(result, payloads);
        }
    }

    private Read read(byte[] bytes) throws IOException {
        return read(bytes, 64, 1024, (type, p) -> true);
    }

    @Test
    void aWholeFileIsReadToItsEndCleanly() throws IOException {
        Read r = read(file(12));

        assertThat(r.payloads()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(r.result()).isEqualTo(new RecordReader.Result(ends(12).getLast(), 12, false, null));
        assertThat(r.result().clean()).isTrue();
    }

    @Test
    void everyCutKeepsExactlyTheWholeRecordsBeforeItAndEndsWhereTheyEnd() throws IOException {
        byte[] whole = file(10);
        List<Integer> ends = ends(10);
        for (int cut = HEADER; cut < whole.length; cut++) {
            final int at = cut;
            int kept = (int) ends.stream().filter(e -> e <= at).count();
            long validEnd = kept == 0 ? HEADER : ends.get(kept - 1);

            Read r = read(Arrays.copyOf(whole, cut));

            assertThat(r.payloads()).as("cut at %d", cut).hasSize(kept);
            assertThat(r.result().validEnd()).as("cut at %d", cut).isEqualTo(validEnd);
            assertThat(r.result().records()).isEqualTo(kept);
            if (cut == validEnd) {
                assertThat(r.result().problem()).as("cut at %d, on a record boundary", cut).isNull();
            } else if (cut - validEnd < RecordFrame.HEADER_LENGTH) {
                assertThat(r.result().problem()).isEqualTo("record header cut short: " + (cut - validEnd)
                        + " bytes left");
            } else {
                long length = ends.get(kept) - validEnd - RecordFrame.HEADER_LENGTH;
                assertThat(r.result().problem()).isEqualTo("record length=" + length + " > "
                        + (cut - validEnd - RecordFrame.HEADER_LENGTH) + " bytes remaining (torn append)");
            }
        }
    }

    @Test
    void aFlippedPayloadBitEndsTheReadAtThatRecordWithTheCrcsNamed() throws IOException {
        byte[] b = file(6);
        int third = ends(6).get(1);
        b[third + RecordFrame.HEADER_LENGTH + 1] ^= 0x40;

        Read r = read(b);

        assertThat(r.payloads()).containsExactly(1, 2);
        assertThat(r.result().validEnd()).isEqualTo(third);
        assertThat(r.result().problem()).startsWith("CRC32C mismatch: stored 0x");
    }

    @Test
    void aFlippedTypeFailsTheCrcToo() throws IOException {
        byte[] b = file(3);
        b[HEADER + RecordFrame.TYPE_OFFSET] = 2;

        Read r = read(b);

        assertThat(r.payloads()).isEmpty();
        assertThat(r.result().validEnd()).isEqualTo(HEADER);
        assertThat(r.result().problem()).startsWith("CRC32C mismatch");
    }

    @Test
    void aLengthOverTheFormatsMaximumIsDamageEvenIfTheFileIsLongEnough() throws IOException {
        byte[] b = file(9);
        int second = ends(9).get(0);
        ByteBuffer.wrap(b).putInt(second + RecordFrame.LENGTH_OFFSET, 0x7FFF_FFF0);

        assertThat(read(b).result()).isEqualTo(new RecordReader.Result(second, 1, false,
                "record length=2147483632 > max=1024"));
        assertThat(read(file(9), 64, 8, (t, p) -> true).result())
                .isEqualTo(new RecordReader.Result(ends(9).get(7), 8, false, "record length=9 > max=8"));
    }

    @Test
    void aRecordLongerThanTheBufferIsReadWhole() throws IOException {
        Read r = read(file(40), 16, 1024, (t, p) -> true);

        assertThat(r.payloads()).hasSize(40).last().isEqualTo(40);
        assertThat(r.result().clean()).isTrue();
    }

    @Test
    void aRecordTheHandlerRefusesEndsTheReadBeforeIt() throws IOException {
        int fourth = ends(8).get(2);

        Read refused = read(file(8), 64, 1024, (t, p) -> {
            if (p.remaining() == 4) {
                throw new BadRecordException("four is not allowed");
            }
            return true;
        });
        assertThat(refused.result()).isEqualTo(new RecordReader.Result(fourth, 3, false, "four is not allowed"));

        Read underflow = read(file(8), 64, 1024, (t, p) -> {
            if (p.remaining() == 4) {
                p.getLong();
            }
            return true;
        });
        assertThat(underflow.result())
                .isEqualTo(new RecordReader.Result(fourth, 3, false, "payload of type 0x1 cut short at 4 bytes"));
    }

    @Test
    void aHandlerThatStopsKeepsThatRecordAndTheReadEndsJustAfterIt() throws IOException {
        Read r = read(file(8), 64, 1024, (t, p) -> p.remaining() != 5);

        assertThat(r.payloads()).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.result()).isEqualTo(new RecordReader.Result(ends(8).get(4), 5, true, null));
    }

    @Test
    void theHeadIsTheFirstBytesOrAllOfAShorterFile() throws IOException {
        Path f = Files.write(dir.resolve("short.bin"), new byte[] {1, 2, 3, 4, 5});
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            RecordReader r = new RecordReader(ch, 64, 1024);
            assertThat(r.head(28).limit()).isEqualTo(5);
            assertThat(r.head(2).get(1)).isEqualTo((byte) 2);
            assertThat(r.size()).isEqualTo(5);
            assertThat(r.records(5, (t, p) -> true)).isEqualTo(new RecordReader.Result(5, 0, false, null));
        }
    }
}
