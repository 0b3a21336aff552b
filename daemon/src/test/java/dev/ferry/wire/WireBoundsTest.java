package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every count, length, index and size a peer puts in a frame, at 0, at its limit and one past it: the decoder
 * accepts the first two (or refuses 0 where 0 means nothing) and refuses the third with an exact message, before it
 * allocates anything of the declared size. One row per field and value; the receiver's own limits (files in flight,
 * chunks per file, the hash budget, the handshake's frame size) are in {@code receive.PeerBoundsTest}.
 */
class WireBoundsTest {
    private static final WireLimits LIMITS = WireLimits.forChunk(1 << 20);
    private static final int MAX_CHUNK = LIMITS.maxChunkLength();
    private static final String OK = null;

    static Stream<Arguments> fields() {
        return Stream.of(
                // frame header: length counts the type byte
                row("frame length 0", header(0, FrameType.BYE), "frame length=0 (must count at least the type byte)"),
                row("frame length within 16 bytes of max", hashes(1, 0, (LIMITS.maxFrameLength() - 14) / 16, 0), OK),
                row("frame length max+1", header(LIMITS.maxFrameLength() + 1, FrameType.HASHES),
                        "frame length=" + (LIMITS.maxFrameLength() + 1) + " > max=" + LIMITS.maxFrameLength() + " (type 0x11)"),
                // CHUNK data length
                row("chunk length 0", chunk(0), OK),
                row("chunk length at max", chunk(MAX_CHUNK), OK),
                row("chunk length max+1", chunk(MAX_CHUNK + 1), "chunk length=" + (MAX_CHUNK + 1) + " > max=" + MAX_CHUNK),
                row("chunk index at int max", frame(FrameType.CHUNK, p -> p.putInt(1).putInt(Integer.MAX_VALUE).putInt(0).putInt(0)), OK),
                row("chunk index past int max", frame(FrameType.CHUNK, p -> p.putInt(1).putInt(Integer.MIN_VALUE).putInt(0).putInt(0)),
                        "index=2147483648 out of range"),
                // file id (every file frame)
                row("fileId 0", frame(FrameType.DONE, p -> p.putInt(0)), "fileId=0 (must be positive)"),
                row("fileId at max", frame(FrameType.DONE, p -> p.putInt(Integer.MAX_VALUE)), OK),
                row("fileId max+1", frame(FrameType.DONE, p -> p.putInt(Integer.MIN_VALUE)), "fileId=2147483648 out of range"),
                // OFFER chunk size
                row("offer chunkSize 0", offer(0, 0, 0, 0), "chunkSize=0 (must be positive)"),
                row("offer chunkSize below min", offer(WireLimits.MIN_CHUNK - 1, 0, 0, 0),
                        "OFFER chunkSize=4095 outside 4096.." + MAX_CHUNK),
                row("offer chunkSize at max", offer(MAX_CHUNK, 0, 0, 0), OK),
                row("offer chunkSize max+1", offer(MAX_CHUNK + 1, 0, 0, 0),
                        "OFFER chunkSize=" + (MAX_CHUNK + 1) + " outside 4096.." + MAX_CHUNK),
                // OFFER chunk count: must be ceil(size / chunkSize), so a count cannot claim more than the size
                row("offer chunkCount 0 for size 0", offer(4096, 0, 0, 0), OK),
                row("offer chunkCount as the size says", offer(4096, 3 * 4096L, 3, 0), OK),
                row("offer chunkCount one more than the size says", offer(4096, 3 * 4096L, 4, 0),
                        "OFFER chunkCount=4 but size=12288 / chunkSize=4096 needs 3"),
                row("offer chunkCount huge for a small size", offer(4096, 1, Integer.MAX_VALUE, 0),
                        "OFFER chunkCount=2147483647 but size=1 / chunkSize=4096 needs 1"),
                // OFFER hashes in the frame: at most chunkCount, and no more than the frame holds
                row("offer hashes 0", offer(4096, 3 * 4096L, 3, 0), OK),
                row("offer hashes at chunkCount", offer(4096, 3 * 4096L, 3, 3), OK),
                row("offer hashes chunkCount+1", offer(4096, 3 * 4096L, 3, 4), "OFFER carries 4 hashes for chunkCount=3"),
                row("offer hashes declared beyond the frame", offerDeclaring(4096, 1L << 40, 1 << 28, 1 << 28),
                        "OFFER declares 268435456 entries of 16 bytes, frame has 0 left"),
                // path length (OFFER, DELETE, RENAME, SYMLINK, LIST)
                row("path length 0", delete(""), OK),
                row("path length at max", delete("p".repeat(Protocol.MAX_PATH_BYTES)), OK),
                row("path length max+1", delete("p".repeat(Protocol.MAX_PATH_BYTES + 1)), "path length=4097 > max=4096"),
                row("rename to length max+1", frame(FrameType.RENAME, p -> p.putInt(1).put(str("a")).put(str("b".repeat(4097)))),
                        "to length=4097 > max=4096"),
                row("symlink target length max+1", frame(FrameType.SYMLINK, p -> p.putInt(1).put(str("a")).put(str("t".repeat(4097)))
                        .putLong(0).putInt(0)), "target length=4097 > max=4096"),
                row("list subtree length max+1", frame(FrameType.LIST, p -> p.putInt(1).put(str("s".repeat(4097)))),
                        "subtree length=4097 > max=4096"),
                // a str whose declared length runs past the frame
                row("str longer than the frame", frame(FrameType.DELETE, p -> p.putInt(1).putShort((short) 100).put(new byte[10])),
                        "field path needs 100 bytes, frame has 10 left"),
                // HASHES count: bounded by the bytes in the frame
                row("hashes count 0", hashes(1, 0, 0, 0), OK),
                row("hashes count as the frame holds", hashes(1, 0, 10, 0), OK),
                row("hashes count one more than the frame holds", hashes(1, 0, 10, 1),
                        "HASHES declares 11 entries of 16 bytes, frame has 160 left"),
                row("hashes count u32 max", frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 1).putInt(-1)),
                        "hash count=4294967295 out of range"),
                // NEED ranges
                row("need ranges 0", need(0), OK),
                row("need ranges at max", need(Protocol.MAX_RANGES_PER_FRAME), OK),
                row("need ranges max+1", need(Protocol.MAX_RANGES_PER_FRAME + 1), "NEED range count=65537 > max=65536"),
                row("need range of 0 chunks", frame(FrameType.NEED, p -> p.putInt(1).put((byte) 0).putInt(1).putInt(0).putInt(0)),
                        "range count=0 (must be positive)"),
                row("need range ending past int max", frame(FrameType.NEED, p -> p.putInt(1).put((byte) 0).putInt(1)
                        .putInt(Integer.MAX_VALUE).putInt(1)), "NEED range start=2147483647 count=1 overflows"),
                // LISTING entries
                row("listing entries 0", listing(0), OK),
                row("listing entries at max", listing(Protocol.MAX_LISTING_ENTRIES), OK),
                row("listing entries max+1", listing(Protocol.MAX_LISTING_ENTRIES + 1), "LISTING entry count=4097 > max=4096"),
                // ERROR message
                row("error message 0", error(""), OK),
                row("error message at max", error("m".repeat(Protocol.MAX_MESSAGE_BYTES)), OK),
                row("error message max+1", error("m".repeat(Protocol.MAX_MESSAGE_BYTES + 1)), "message length=2049 > max=2048"),
                // HELLO names and nonce
                row("hello folder 0", hello("", 32, "s"), OK),
                row("hello folder at max", hello("f".repeat(255), 32, "s"), OK),
                row("hello folder max+1", hello("f".repeat(256), 32, "s"), "folder length=256 > max=255"),
                row("hello software max+1", hello("f", 32, "s".repeat(256)), "software length=256 > max=255"),
                row("hello nonce 0 bytes", hello("f", 0, ""), "field clientNonce needs 32 bytes, frame has 2 left"),
                row("hello nonce 31 bytes", frame(FrameType.HELLO, p -> p.putInt(Protocol.MAGIC).putShort((short) 1)
                        .putShort((short) 1).put(str("f")).put(new byte[31])), "field clientNonce needs 32 bytes, frame has 31 left"),
                // CHALLENGE nonce and AUTH proof: exactly 32 bytes
                row("challenge nonce at 32", frame(FrameType.CHALLENGE, p -> p.putShort((short) 1).put(new byte[32])), OK),
                row("challenge nonce 33", frame(FrameType.CHALLENGE, p -> p.putShort((short) 1).put(new byte[33])),
                        "1 unexpected trailing bytes in frame type 0x02"),
                row("auth proof 0", frame(FrameType.AUTH, p -> { }), "field proof needs 32 bytes, frame has 0 left"),
                row("auth proof 32", frame(FrameType.AUTH, p -> p.put(new byte[32])), OK),
                // version 2: a features word may follow the proof (AUTH) and the limits (WELCOME), nothing else
                row("auth proof 33", frame(FrameType.AUTH, p -> p.put(new byte[33])), "field features needs 4 bytes, frame has 1 left"),
                row("auth proof and features", frame(FrameType.AUTH, p -> p.put(new byte[32]).putInt(Protocol.FEATURE_ZSTD)), OK),
                row("auth proof, features and 1 byte", frame(FrameType.AUTH, p -> p.put(new byte[32]).putInt(1).put((byte) 0)),
                        "1 unexpected trailing bytes in frame type 0x03"),
                row("welcome with features", frame(FrameType.WELCOME, p -> p.putInt(1).putLong(0).putInt(Protocol.FEATURE_ZSTD)), OK),
                row("welcome with features and 1 byte", frame(FrameType.WELCOME, p -> p.putInt(1).putLong(0).putInt(1).put((byte) 0)),
                        "1 unexpected trailing bytes in frame type 0x04"),
                // COMMIT file hash length
                row("commit hash 0", frame(FrameType.COMMIT, p -> p.putInt(1).put((byte) 0)), OK),
                row("commit hash 32", frame(FrameType.COMMIT, p -> p.putInt(1).put((byte) 32).put(new byte[32])), OK),
                row("commit hash 33", frame(FrameType.COMMIT, p -> p.putInt(1).put((byte) 33).put(new byte[33])),
                        "COMMIT fileHash length=33 (expected 0, 16 or 32)"),
                // mtime nanoseconds
                row("symlink nanos at max", symlinkNanos(999_999_999), OK),
                row("symlink nanos max+1", symlinkNanos(1_000_000_000), "mtimeNanos=1000000000 > 999999999"),
                // mtime seconds: what an Instant holds (a fuzz finding: past it, an OFFER of a directory was INTERNAL)
                row("symlink mtime at Instant max", symlinkSeconds(java.time.Instant.MAX.getEpochSecond()), OK),
                row("symlink mtime Instant max+1", symlinkSeconds(java.time.Instant.MAX.getEpochSecond() + 1),
                        "mtimeSeconds=31556889864403200 outside -31557014167219200..31556889864403199"),
                row("symlink mtime at Instant min", symlinkSeconds(java.time.Instant.MIN.getEpochSecond()), OK),
                row("symlink mtime Instant min-1", symlinkSeconds(java.time.Instant.MIN.getEpochSecond() - 1),
                        "mtimeSeconds=-31557014167219201 outside -31557014167219200..31556889864403199"),
                row("offer mtime long max", frame(FrameType.OFFER, p -> p.putInt(1).put((byte) 1).put((byte) 0).put(str("d"))
                        .putLong(0).putLong(Long.MAX_VALUE)), "mtimeSeconds=9223372036854775807 outside"
                        + " -31557014167219200..31556889864403199"),
                row("listing mtime long min", frame(FrameType.LISTING, p -> p.putInt(1).put((byte) 0).putInt(1).put((byte) 0)
                        .put(str("f")).putLong(0).putLong(Long.MIN_VALUE)), "mtimeSeconds=-9223372036854775808 outside"
                        + " -31557014167219200..31556889864403199"),
                // WELCOME from a receiver
                row("welcome maxChunkLength 0", frame(FrameType.WELCOME, p -> p.putInt(0).putLong(0)),
                        "maxChunkLength=0 (must be positive)"),
                row("welcome maxFileSize past long max", frame(FrameType.WELCOME, p -> p.putInt(1).putLong(-1)),
                        "maxFileSize=18446744073709551615 out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void eachFieldAtZeroTheLimitAndOnePast(String field, byte[] wire, String refusal) throws IOException {
        FrameCodec codec = new FrameCodec(LIMITS);
        if (refusal == null) {
            assertThat(codec.read(new ByteArrayInputStream(wire))).as(field).isNotNull();
        } else {
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).as(field)
                    .isInstanceOf(ProtocolException.class).hasMessage(refusal);
        }
    }

    @ParameterizedTest(name = "handshake frame of {0} bytes")
    @MethodSource("handshakeSizes")
    void beforeAuthenticationAFrameIsAtMost4KiB(int length, String refusal) throws IOException {
        FrameCodec codec = new FrameCodec(WireLimits.defaults());
        codec.maxFrameLength(4096);
        byte[] wire = frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 1).putInt((length - 14) / 16)
                .put(new byte[(length - 14) / 16 * 16]));
        if (refusal == null) {
            assertThat(codec.read(new ByteArrayInputStream(wire))).isInstanceOf(Frame.Hashes.class);
        } else {
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(wire))).isInstanceOf(ProtocolException.class)
                    .hasMessage(refusal);
        }
    }

    static Stream<Arguments> handshakeSizes() {
        return Stream.of(Arguments.of(14, OK), Arguments.of(14 + 255 * 16, OK),
                Arguments.of(14 + 256 * 16, "frame length=" + (14 + 256 * 16) + " > max=4096 (type 0x11)"));
    }

    // ---- frames built byte by byte, as a hostile peer would -------------------------------------------------

    private static Arguments row(String field, byte[] wire, String refusal) {
        return Arguments.of(field, wire, refusal);
    }

    static byte[] frame(byte type, Consumer<ByteBuffer> payload) {
        ByteBuffer p = ByteBuffer.allocate(3 << 20);
        payload.accept(p);
        p.flip();
        return ByteBuffer.allocate(5 + p.remaining()).putInt(1 + p.remaining()).put(type).put(p).array();
    }

    private static byte[] header(int length, byte type) {
        return ByteBuffer.allocate(5 + 64).putInt(length).put(type).array();
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
    }

    private static byte[] chunk(int length) {
        return frame(FrameType.CHUNK, p -> p.putInt(1).putInt(0).putInt(length).putInt(0).put(new byte[length]));
    }

    private static byte[] offer(int chunkSize, long size, int chunkCount, int hashes) {
        return frame(FrameType.OFFER, p -> p.putInt(1).put((byte) 0).put((byte) 0).put(str("f")).putLong(size).putLong(0)
                .putInt(0).putInt(0644).putInt(chunkSize).put((byte) 1).putInt(chunkCount).put(new byte[16])
                .putInt(hashes).put(new byte[hashes * 16]));
    }

    /** An OFFER whose hash count claims far more than the frame holds (and none follow). */
    private static byte[] offerDeclaring(int chunkSize, long size, int chunkCount, int hashes) {
        return frame(FrameType.OFFER, p -> p.putInt(1).put((byte) 0).put((byte) 0).put(str("f")).putLong(size).putLong(0)
                .putInt(0).putInt(0644).putInt(chunkSize).put((byte) 1).putInt(chunkCount).put(new byte[16]).putInt(hashes));
    }

    private static byte[] delete(String path) {
        return frame(FrameType.DELETE, p -> p.putInt(1).put(str(path)));
    }

    private static byte[] hashes(int fileId, int first, int count, int extraDeclared) {
        return frame(FrameType.HASHES, p -> p.putInt(fileId).putInt(first).put((byte) 1).putInt(count + extraDeclared)
                .put(new byte[count * 16]));
    }

    private static byte[] need(int ranges) {
        return frame(FrameType.NEED, p -> {
            p.putInt(1).put((byte) 0).putInt(ranges);
            for (int i = 0; i < ranges && p.remaining() >= 8; i++) {
                p.putInt(i * 2).putInt(1);
            }
        });
    }

    private static byte[] listing(int entries) {
        return frame(FrameType.LISTING, p -> {
            p.putInt(1).put((byte) 0).putInt(entries);
            for (int i = 0; i < entries; i++) {
                p.put((byte) 0).put(str("f")).putLong(0).putLong(0).putInt(0).putInt(0644).put(str(""));
            }
        });
    }

    private static byte[] error(String message) {
        return frame(FrameType.ERROR, p -> p.putShort((short) 1).putInt(0).put(str(message)));
    }

    private static byte[] hello(String folder, int nonce, String software) {
        return frame(FrameType.HELLO, p -> p.putInt(Protocol.MAGIC).putShort((short) 1).putShort((short) 1).put(str(folder))
                .put(new byte[nonce]).put(str(software)));
    }

    private static byte[] symlinkSeconds(long seconds) {
        return frame(FrameType.SYMLINK, p -> p.putInt(1).put(str("l")).put(str("t")).putLong(seconds).putInt(0));
    }

    private static byte[] symlinkNanos(int nanos) {
        return frame(FrameType.SYMLINK, p -> p.putInt(1).put(str("l")).put(str("t")).putLong(0).putInt(nanos));
    }
}
