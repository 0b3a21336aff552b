package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * CHUNK_ZSTD (0x18): a compressing codec sends a chunk compressed only when that is smaller, the reading codec gives
 * back the raw bytes with the CRC the sender computed over them; and a hostile CHUNK_ZSTD (a length past the limit,
 * a zstd frame that states another size, states none, or decodes to more) is refused before a chunk-sized buffer
 * is allocated or written past — in place and into pooled buffers, at 0, at the limit and one past it.
 */
class CompressedChunkTest {
    private static final WireLimits LIMITS = WireLimits.forChunk(1 << 20);
    private static final int MAX_CHUNK = LIMITS.maxChunkLength();
    private static final String OK = null;

    @Test
    void aCompressibleChunkGoesCompressedAndDecodesToItsRawBytes() throws IOException {
        byte[] text = "ferry compresses text well; ".repeat(4000).getBytes(StandardCharsets.UTF_8);
        Frame.Chunk sent = new Frame.Chunk(7, 3, crc(text), text, 0, text.length);
        FrameCodec writer = new FrameCodec(LIMITS);
        writer.compressChunks(Compression.zstd(3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int wire = writer.writeChunk(out, sent);

        byte[] bytes = out.toByteArray();
        assertThat(bytes[4]).as("type byte").isEqualTo(FrameType.CHUNK_ZSTD);
        assertThat(wire).isEqualTo(bytes.length - 21).isLessThan(text.length / 20);
        assertThat(ByteBuffer.wrap(bytes).getInt(13)).as("declared length: the raw one").isEqualTo(text.length);
        FrameCodec reader = new FrameCodec(LIMITS);
        reader.acceptCompressedChunks();
        Frame.Chunk got = (Frame.Chunk) reader.read(new ByteArrayInputStream(bytes));
        assertThat(got.bytes()).isEqualTo(text);
        assertThat(got.crc32c()).isEqualTo(crc(text));
        assertThat(got.fileId()).isEqualTo(7);
        assertThat(got.index()).isEqualTo(3);
    }

    @Test
    void randomDataGoesRawAsAPlainChunk() throws IOException {
        byte[] random = new byte[64 * 1024];
        new Random(42).nextBytes(random);
        FrameCodec writer = new FrameCodec(LIMITS);
        writer.compressChunks(Compression.zstd(3));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int wire = writer.writeChunk(out, new Frame.Chunk(1, 0, crc(random), random, 0, random.length));

        assertThat(wire).isEqualTo(random.length);
        assertThat(out.toByteArray()[4]).isEqualTo(FrameType.CHUNK);
        assertThat(out.size()).isEqualTo(21 + random.length);
    }

    @Test
    void aChunkOfAHeapBufferSliceCompressesOnlyItsOwnBytes() throws IOException {
        byte[] buffer = ("x".repeat(1000) + "y".repeat(3000)).getBytes(StandardCharsets.UTF_8);
        FrameCodec writer = new FrameCodec(LIMITS);
        writer.compressChunks(Compression.zstd(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeChunk(out, new Frame.Chunk(1, 0, 0, buffer, 1000, 3000));
        FrameCodec reader = new FrameCodec(LIMITS);
        reader.acceptCompressedChunks();

        assertThat(((Frame.Chunk) reader.read(new ByteArrayInputStream(out.toByteArray()))).bytes())
                .isEqualTo("y".repeat(3000).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCodecThatDidNotAgreeOnZstdRefusesCompressedChunks() {
        byte[] wire = zchunk(1000, zstd(new byte[1000]));

        assertThatThrownBy(() -> new FrameCodec(LIMITS).read(new ByteArrayInputStream(wire)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("CHUNK_ZSTD (0x18) on a session that did not agree on zstd");
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("declared length 0", zchunk(0, zstd(new byte[0])),
                        "compressed chunk of " + zstd(new byte[0]).length + " bytes is not smaller than its chunk length=0"),
                Arguments.of("declared length 1, frame of 1 byte", zchunk(1, zstd(new byte[1])),
                        "compressed chunk of " + zstd(new byte[1]).length + " bytes is not smaller than its chunk length=1"),
                Arguments.of("declared length at the limit", zchunk(MAX_CHUNK, zstd(new byte[MAX_CHUNK])), OK),
                Arguments.of("declared length limit+1", zchunk(MAX_CHUNK + 1, zstd(new byte[MAX_CHUNK + 1])),
                        "chunk length=" + (MAX_CHUNK + 1) + " > max=" + MAX_CHUNK),
                Arguments.of("declared length past the int range", zchunkRawLength(-1, zstd(new byte[100])),
                        "chunk length=4294967295 out of range"),
                // a bomb: 64 MiB of zeros packs into a few KiB; its frame states 64 MiB, the chunk 1 MiB
                Arguments.of("zstd frame states more than the chunk", zchunk(MAX_CHUNK, zstd(new byte[64 << 20])),
                        "compressed chunk: its zstd frame holds 67108864 bytes but the chunk length=" + MAX_CHUNK),
                Arguments.of("zstd frame states less than the chunk", zchunk(4000, zstd(new byte[2000])),
                        "compressed chunk: its zstd frame holds 2000 bytes but the chunk length=4000"),
                Arguments.of("zstd frame states no size", zchunk(MAX_CHUNK, zstdWithoutSize(new byte[MAX_CHUNK])),
                        "compressed chunk: its zstd frame does not state its size (chunk length=" + MAX_CHUNK + ")"),
                Arguments.of("not zstd at all", zchunk(4000, "not a zstd frame".getBytes(StandardCharsets.UTF_8)),
                        "compressed chunk: its zstd frame is malformed (chunk length=4000)"),
                // a first frame that states the chunk's size, and a second one behind it that would run past it
                Arguments.of("frames decode to more than stated", zchunk(4000, concat(zstd(new byte[4000]), zstd(new byte[4000]))),
                        "compressed chunk does not decode: Destination buffer is too small (chunk length=4000)"));
    }

    @ParameterizedTest(name = "in place: {0}")
    @MethodSource("hostile")
    void hostileCompressedChunksAreRefusedInPlace(String row, byte[] wire, String refusal) throws IOException {
        FrameCodec codec = new FrameCodec(LIMITS);
        codec.acceptCompressedChunks();
        if (refusal == null) {
            assertThat(((Frame.Chunk) codec.read(new ByteArrayInputStream(wire))).length()).as(row).isEqualTo(MAX_CHUNK);
        } else {
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).as(row)
                    .isInstanceOf(ProtocolException.class).hasMessage(refusal);
        }
    }

    @ParameterizedTest(name = "pooled: {0}")
    @MethodSource("hostile")
    void hostileCompressedChunksAreRefusedIntoPooledBuffersAndEveryBufferComesBack(String row, byte[] wire, String refusal)
            throws Exception {
        ChunkBufferPool pool = new ChunkBufferPool(2, MAX_CHUNK);
        FrameCodec codec = new FrameCodec(LIMITS);
        codec.chunkBuffers(pool);
        codec.acceptCompressedChunks();
        if (refusal == null) {
            Frame.Chunk c = (Frame.Chunk) codec.read(new ByteArrayInputStream(wire));
            assertThat(c.length()).as(row).isEqualTo(MAX_CHUNK);
            assertThat(c.data().isDirect()).isTrue();
            pool.give(c.data());
        } else {
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).as(row)
                    .isInstanceOf(ProtocolException.class).hasMessage(refusal);
        }
        // both buffers are free again: a failed decode gave its buffer back
        CompletableFuture<Void> takeBoth = CompletableFuture.runAsync(() -> {
            try {
                pool.take(16);
                pool.take(16);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        takeBoth.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClosedCodecWritesRawAndReadsNoMoreCompressedChunks() throws IOException {
        FrameCodec writer = new FrameCodec(LIMITS);
        writer.compressChunks(Compression.zstd(3));
        writer.close();
        byte[] text = "a".repeat(10_000).getBytes(StandardCharsets.UTF_8);

        assertThat(writer.writeChunk(new ByteArrayOutputStream(), new Frame.Chunk(1, 0, 0, text, 0, text.length)))
                .isEqualTo(text.length);
        FrameCodec reader = new FrameCodec(LIMITS);
        reader.acceptCompressedChunks();
        reader.close();
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(zchunk(10_000, zstd(text)))))
                .isInstanceOf(PeerClosedException.class)
                .hasMessage("connection closed while a compressed chunk was read");
    }

    // ---- frames built byte by byte, as a hostile peer would -------------------------------------------------

    private static byte[] zchunk(int rawLength, byte[] packed) {
        return zchunkRawLength(rawLength, packed);
    }

    private static byte[] zchunkRawLength(int rawLength, byte[] packed) {
        return ByteBuffer.allocate(5 + 16 + packed.length).putInt(1 + 16 + packed.length).put(FrameType.CHUNK_ZSTD)
                .putInt(1).putInt(0).putInt(rawLength).putInt(0).put(packed).array();
    }

    private static byte[] zstd(byte[] raw) {
        return Zstd.compress(raw, 1);
    }

    private static byte[] zstdWithoutSize(byte[] raw) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            return ctx.setLevel(1).setContentSize(false).compress(raw);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}
