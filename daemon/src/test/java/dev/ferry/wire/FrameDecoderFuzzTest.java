package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.FrameCorpus;
import dev.ferry.testing.FrameMutator;
import dev.ferry.testing.Loopback;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the frame decoder with mutations of real sessions' frames ({@link FrameCorpus}, {@link FrameMutator}): every
 * case is decoded frame after frame to its end, as a receiver's reader would, half of them with the handshake's
 * 4 KiB frame cap and half with CHUNK data read into pooled buffers. Invariants: nothing escapes but the protocol's
 * own {@link ProtocolException} and {@link PeerClosedException}; and what one case makes the decoder allocate stays
 * within a bound set by the limits, not by the lengths the bytes claim (measured by the JVM's per-thread
 * allocation counter).
 *
 * <p>{@value #DEFAULT_CASES} cases with seed {@value #DEFAULT_SEED} in CI; {@code -Dferry.fuzz.cases=N} and
 * {@code -Dferry.fuzz.seed=S} for a longer run ({@code bench/fuzz.sh}). A failure names its case number and seed, which
 * reproduce it alone.
 */
class FrameDecoderFuzzTest {
    static final int DEFAULT_CASES = 50_000;
    static final long DEFAULT_SEED = 14;
    static final Token TOKEN = Token.of("decoder-fuzz-token-0123456789abcdef");
    /** 64 KiB chunks: frames up to 128 KiB, so a length field claiming more must not show in the allocations. */
    static final WireLimits LIMITS = WireLimits.forChunk(64 * 1024);

    @TempDir
    Path tmp;

    @Test
    void mutatedSessionsGetOnlyProtocolErrorsAndBoundedAllocations() throws IOException {
        int cases = Integer.getInteger("ferry.fuzz.cases", DEFAULT_CASES);
        long seed = Long.getLong("ferry.fuzz.seed", DEFAULT_SEED);
        FrameCorpus corpus;
        try (Receiver r = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", Files.createDirectories(tmp.resolve("t")))))) {
            corpus = FrameCorpus.record(tmp, r.address().getPort(), "f", TOKEN);
        }
        assertThat(corpus.all()).as("the corpus holds compressed chunks (CHUNK_ZSTD, type 0x18)")
                .anyMatch(f -> f.length > 4 && f[4] == 0x18);
        FrameMutator mutator = new FrameMutator(corpus.all(), seed);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long frames = 0;
        long refused = 0;
        long ended = 0;
        long mostAllocated = 0;
        for (int n = 0; n < cases; n++) {
            byte[] input = mutator.generate(n, 6);
            FrameCodec codec = new FrameCodec(LIMITS);
            if (n % 4 < 2) {
                codec.acceptCompressedChunks(); // as after a handshake that agreed on zstd: CHUNK_ZSTD decoded
            }
            ChunkBufferPool pool = null;
            if (n % 2 == 0) {
                codec.maxFrameLength(4096);
            } else {
                pool = new ChunkBufferPool(2, LIMITS.maxChunkLength());
                codec.chunkBuffers(pool);
            }
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                while (true) {
                    Frame f = codec.read(in);
                    frames++;
                    if (pool != null && f instanceof Frame.Chunk c) {
                        pool.give(c.data());
                    }
                }
            } catch (PeerClosedException e) {
                ended++;
            } catch (ProtocolException e) {
                refused++;
            } catch (Throwable t) {
                throw new AssertionError("case " + n + " (seed " + seed + ") threw " + t + " on "
                        + HexFormat.of().formatHex(input, 0, Math.min(input.length, 512)), t);
            } finally {
                codec.close(); // (zstd's native contexts, if a CHUNK_ZSTD made one)
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            mostAllocated = Math.max(mostAllocated, allocated - 4L * input.length);
            // the codec's buffer grows to at most one frame, two pooled chunks, and what the frames decoded from the
            // input hold (a few times the input: strings, lists of ranges and entries)
            assertThat(allocated).as("bytes allocated by case %d (seed %d), input of %d bytes", n, seed, input.length)
                    .isLessThanOrEqualTo(2L * LIMITS.maxFrameLength() + 2L * LIMITS.maxChunkLength() + 4L * input.length
                            + 256 * 1024);
        }
        System.out.printf("decoder fuzz: %d cases (seed %d), %d frames decoded, %d refused, %d ended; most allocated"
                + " beyond 4x the input: %d bytes%n", cases, seed, frames, refused, ended, mostAllocated);
        assertThat(refused + ended).isEqualTo(cases);
    }
}
