package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    /** Small limits so that hostile frames are cheap to build: chunks up to 4 KiB, frames up to 68 KiB. */
    private static final WireLimits SMALL = WireLimits.forChunk(WireLimits.MIN_CHUNK);

    private final FrameCodec codec = new FrameCodec(WireLimits.defaults());

    // ---- round trips ----------------------------------------------------------------------------------------

    @Test
    void helloRoundTripsWithVersionRangeAndUnicodeNames() throws IOException {
        assertRoundTrips(new HandshakeFrame.Hello(2, 7, "photos ünïcödé", bytes(32, 1), "ferry/0.1.0"));
    }

    @Test
    void helloRoundTripsExtremeU16Versions() throws IOException {
        assertRoundTrips(new HandshakeFrame.Hello(0, 0xffff, "f", bytes(32, 2), ""));
    }

    @Test
    void treeOperationFramesRoundTrip() throws IOException {
        assertRoundTrips(new Frame.ListRequest(3, "photos/2026"));
        assertRoundTrips(new Frame.ListRequest(0, ""));
        assertRoundTrips(new Frame.Listing(3, java.util.List.of(
                new Frame.ListedEntry(EntryKind.FILE, "a/b.txt", 12, 1_700_000_000L, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.DIRECTORY, "a", 0, -1, 0, 0755, ""),
                new Frame.ListedEntry(EntryKind.SYMLINK, "a/l", 3, 0, 999_999_999, 0777, "b.txt")), true));
        assertRoundTrips(new Frame.Listing(4, java.util.List.of(), false));
        assertRoundTrips(new Frame.Delete(9, "old dir"));
        assertRoundTrips(new Frame.Rename(10, "a/ünï", "b/ünï"));
        assertRoundTrips(new Frame.Symlink(11, "l", "../x", 1_700_000_000L, 1));
        assertRoundTrips(new Frame.Commit(12, bytes(16, 9)));
        assertRoundTrips(Frame.Need.hashesFirst(13));
    }

    @Test
    void rejectsListingWithUnknownEntryKind() {
        byte[] wire = frame(FrameType.LISTING, p -> p.putInt(1).put((byte) 0).putInt(1).put((byte) 3));
        assertThatThrownBy(() -> decode(wire)).isInstanceOf(ProtocolException.class)
                .hasMessage("LISTING entry kind=3 (expected 0, 1 or 2)");
    }

    @Test
    void challengeRoundTrips() throws IOException {
        assertRoundTrips(new HandshakeFrame.Challenge(7, bytes(32, 3)));
    }

    @Test
    void authRoundTrips() throws IOException {
        assertRoundTrips(new HandshakeFrame.Auth(bytes(32, 4)));
    }

    @Test
    void welcomeRoundTrips() throws IOException {
        assertRoundTrips(new HandshakeFrame.Welcome(8 * 1024 * 1024, Long.MAX_VALUE));
    }

    @Test
    void authAndWelcomeCarryFeaturesOnlyWhenThereAreAny() throws IOException {
        assertRoundTrips(new HandshakeFrame.Auth(bytes(32, 4), Protocol.FEATURE_ZSTD));
        assertRoundTrips(new HandshakeFrame.Welcome(4096, 1L << 40, Protocol.FEATURE_ZSTD));
        // without features the frames are exactly version 1's, which a version-1 peer reads to the last byte
        assertThat(encode(new HandshakeFrame.Auth(bytes(32, 4)))).hasSize(5 + 32);
        assertThat(encode(new HandshakeFrame.Auth(bytes(32, 4), Protocol.FEATURE_ZSTD))).hasSize(5 + 32 + 4);
        assertThat(encode(new HandshakeFrame.Welcome(4096, 1L << 40))).hasSize(5 + 12);
        assertThat(encode(new HandshakeFrame.Welcome(4096, 1L << 40, Protocol.FEATURE_ZSTD))).hasSize(5 + 12 + 4);
    }

    @Test
    void sessionErrorRoundTrips() throws IOException {
        Frame.Error error = new Frame.Error(ErrorCode.AUTH_FAILED, 0, "bad token");
        assertRoundTrips(error);
        assertThat(error.session()).isTrue();
    }

    @Test
    void fileErrorRoundTrips() throws IOException {
        Frame.Error error = new Frame.Error(ErrorCode.BAD_PATH, 42, "'../x' segment in '../x'");
        assertRoundTrips(error);
        assertThat(error.session()).isFalse();
    }

    @Test
    void errorWithUnknownCodeDecodesAsInternal() throws IOException {
        byte[] wire = frame(FrameType.ERROR, p -> p.putShort((short) 999).putInt(0).put(str("from the future")));

        assertThat(decode(wire)).isEqualTo(new Frame.Error(ErrorCode.INTERNAL, 0, "from the future"));
    }

    @Test
    void errorMessageLongerThanLimitIsTruncatedOnTheWire() throws IOException {
        String longMessage = "x".repeat(Protocol.MAX_MESSAGE_BYTES + 100);

        Frame decoded = decode(encode(new Frame.Error(ErrorCode.IO, 3, longMessage)));

        assertThat(((Frame.Error) decoded).message())
                .hasSize(Protocol.MAX_MESSAGE_BYTES)
                .endsWith("...");
    }

    @Test
    void fileOfferWithAllHashesRoundTripsXxh3() throws IOException {
        // 10000 bytes in 4096-byte chunks: 3 chunks of 16-byte digests
        assertRoundTrips(new Frame.Offer(1, EntryKind.FILE, "a/b/c.txt", 10_000, 1_700_000_000L, 123_456_789, 0644,
                4096, HashAlgorithm.XXH3_128, bytes(16, 5), 3, bytes(48, 6)));
    }

    @Test
    void fileOfferWithAllHashesRoundTripsSha256() throws IOException {
        assertRoundTrips(new Frame.Offer(2, EntryKind.FILE, "ünïcödé/名前.bin", 8192, -5L, 999_999_999, 0755,
                4096, HashAlgorithm.SHA_256, bytes(32, 7), 2, bytes(64, 8)));
    }

    @Test
    void directoryOfferRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Offer(3, EntryKind.DIRECTORY, "a/b", 0, 1_700_000_000L, 0, 0755,
                4096, HashAlgorithm.XXH3_128, bytes(16, 9), 0, new byte[0]));
    }

    @Test
    void emptyFileOfferWithZeroChunksRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Offer(4, EntryKind.FILE, "empty", 0, 0, 0, 0600,
                WireLimits.DEFAULT_MAX_CHUNK, HashAlgorithm.SHA_256, bytes(32, 10), 0, new byte[0]));
    }

    @Test
    void offerCarryingOnlyPartOfItsHashesRoundTrips() throws IOException {
        // 5 chunks, 2 hashes here, the other 3 follow in HASHES frames
        Frame.Offer offer = new Frame.Offer(5, EntryKind.FILE, "big", 5 * 4096 - 1, 1, 2, 0644,
                4096, HashAlgorithm.XXH3_128, bytes(16, 11), 5, bytes(32, 12));

        assertRoundTrips(offer);
        assertThat(offer.hashesInFrame()).isEqualTo(2);
    }

    @Test
    void streamedAndInlineOffersRoundTrip() throws IOException {
        assertRoundTrips(new Frame.Offer(7, EntryKind.FILE, "big.iso", 3 * 4096, 1, 2, 0644, 4096, HashAlgorithm.XXH3_128,
                new byte[0], 3, new byte[0], Frame.Delivery.STREAMED));
        assertRoundTrips(new Frame.Offer(8, EntryKind.FILE, "small.txt", 4097, 1, 2, 0644, 4096, HashAlgorithm.XXH3_128,
                bytes(16, 15), 2, bytes(32, 16), Frame.Delivery.INLINE));
    }

    /** The flags byte of an encoded OFFER: after the frame header (5 bytes), fileId (4) and kind (1). */
    private byte[] withOfferFlags(Frame.Offer offer, int flags) throws IOException {
        byte[] wire = encode(offer);
        wire[10] = (byte) flags;
        return wire;
    }

    @Test
    void rejectsOfferBothStreamedAndInline() throws IOException {
        byte[] wire = withOfferFlags(new Frame.Offer(1, EntryKind.FILE, "x", 10, 1, 2, 0644, 4096, HashAlgorithm.XXH3_128,
                bytes(16, 1), 1, bytes(16, 2)), 3);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER flags=0x3 (streamed and inline)");
    }

    @Test
    void rejectsInlineOfferWithoutEveryHash() throws IOException {
        byte[] wire = withOfferFlags(new Frame.Offer(1, EntryKind.FILE, "x", 5000, 1, 2, 0644, 4096, HashAlgorithm.XXH3_128,
                bytes(16, 1), 2, bytes(16, 2)), 2);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("inline OFFER of a file with 1 of 2 hashes (an inline offer is a file carrying every hash)");
    }

    @Test
    void rejectsInlineOfferOfADirectory() throws IOException {
        byte[] wire = withOfferFlags(new Frame.Offer(1, EntryKind.DIRECTORY, "d", 0, 1, 2, 0755, 4096, HashAlgorithm.XXH3_128,
                bytes(16, 1), 0, new byte[0]), 2);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("inline OFFER of a directory with 0 of 0 hashes (an inline offer is a file carrying every hash)");
    }

    @Test
    void offerWithLongestPathRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Offer(6, EntryKind.FILE, "p".repeat(Protocol.MAX_PATH_BYTES), 1, 0, 0, 0644,
                4096, HashAlgorithm.XXH3_128, bytes(16, 13), 1, bytes(16, 14)));
    }

    @Test
    void hashesRoundTripsBothAlgorithms() throws IOException {
        assertRoundTrips(new Frame.Hashes(5, 2, HashAlgorithm.XXH3_128, bytes(48, 15)));
        assertRoundTrips(new Frame.Hashes(5, 2, HashAlgorithm.SHA_256, bytes(96, 16)));
    }

    @Test
    void emptyHashesRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Hashes(5, 0, HashAlgorithm.XXH3_128, new byte[0]));
    }

    @Test
    void emptyNeedRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Need(1, List.of(), false, false));
    }

    @Test
    void identicalNeedRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Need(1, List.of(), false, true));
    }

    @Test
    void needWithSeveralRangesAndMoreFlagRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Need(9, List.of(new Frame.Range(0, 1), new Frame.Range(5, 10),
                new Frame.Range(Integer.MAX_VALUE - 1, 1)), true, false));
        assertRoundTrips(new Frame.Need(9, List.of(new Frame.Range(3, 4)), false, false));
    }

    @Test
    void needWithMaximumRangeCountRoundTrips() throws IOException {
        List<Frame.Range> ranges = IntStream.range(0, Protocol.MAX_RANGES_PER_FRAME)
                .mapToObj(i -> new Frame.Range(2 * i, 1)).toList();

        assertRoundTrips(new Frame.Need(9, ranges, true, false));
    }

    @Test
    void chunkRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Chunk(1, 0, 0xcafebabe, bytes(4096, 17), 0, 4096));
    }

    @Test
    void chunkWhoseDataStartsInsideItsArrayRoundTrips() throws IOException {
        byte[] array = bytes(100, 18);
        Frame.Chunk chunk = new Frame.Chunk(1, 3, 0x12345678, array, 10, 50);

        Frame.Chunk decoded = (Frame.Chunk) decode(encode(chunk));

        assertThat(decoded).isEqualTo(chunk);
        assertThat(decoded.bytes())
                .isEqualTo(Arrays.copyOfRange(array, 10, 60));
    }

    @Test
    void zeroLengthChunkRoundTrips() throws IOException {
        assertRoundTrips(new Frame.Chunk(1, 7, 0, new byte[0], 0, 0));
    }

    @Test
    void chunkOfMaximumLengthRoundTrips() throws IOException {
        FrameCodec small = new FrameCodec(SMALL);
        Frame.Chunk chunk = new Frame.Chunk(1, 0, 1, bytes(SMALL.maxChunkLength(), 19), 0, SMALL.maxChunkLength());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        small.write(out, chunk);

        assertThat(small.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(chunk);
    }

    @Test
    void ackNackCommitDoneRoundTrip() throws IOException {
        assertRoundTrips(new Frame.Ack(1, 2));
        assertRoundTrips(new Frame.Nack(1, 2, ErrorCode.CRC_MISMATCH));
        assertRoundTrips(new Frame.Nack(1, 2, ErrorCode.HASH_MISMATCH));
        assertRoundTrips(new Frame.Commit(Integer.MAX_VALUE));
        assertRoundTrips(new Frame.Done(1));
    }

    @Test
    void shareAndJoinRoundTripWithTheirBytesAsDrawn() throws IOException {
        assertRoundTrips(new Frame.Share(5, bytes(16, 7)));
        assertRoundTrips(new Frame.Join(6, bytes(16, 8), "big/ünï.bin"));
        assertThat(HEX.formatHex(encode(new Frame.Share(5, new byte[16]))))
                .isEqualTo("00000015" + "19" + "00000005" + "00".repeat(16));
        assertThat(HEX.formatHex(encode(new Frame.Join(6, new byte[16], "a"))))
                .isEqualTo("00000018" + "1a" + "00000006" + "00".repeat(16) + "0001" + "61");
    }

    @Test
    void rejectsShareWithAShortKeyAndJoinWithFileIdZero() {
        assertThatThrownBy(() -> decode(frame(FrameType.SHARE, p -> p.putInt(1).put(new byte[15]))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> decode(frame(FrameType.JOIN, p -> p.putInt(0).put(new byte[16]).put(str("a")))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("fileId");
        assertThatThrownBy(() -> new Frame.Share(1, new byte[8])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key.length=8, expected 16");
    }

    @Test
    void pingPongByeRoundTrip() throws IOException {
        assertRoundTrips(new Frame.Ping(Long.MIN_VALUE));
        assertRoundTrips(new Frame.Pong(-1L));
        assertRoundTrips(new Frame.Ping(0));
        assertRoundTrips(new Frame.Bye());
    }

    @Test
    void framesBackToBackDecodeInOrderThenCleanEndIsPeerClosed() throws IOException {
        List<Frame> frames = List.of(
                new HandshakeFrame.Hello(1, 1, "docs", bytes(32, 20), "ferry"),
                new Frame.Offer(1, EntryKind.FILE, "x", 5000, 1, 2, 0644, 4096, HashAlgorithm.XXH3_128,
                        bytes(16, 21), 2, bytes(32, 22)),
                new Frame.Chunk(1, 0, 42, bytes(4096, 23), 0, 4096),
                new Frame.Chunk(1, 1, 43, bytes(904, 24), 0, 904),
                new Frame.Need(1, List.of(new Frame.Range(0, 2)), false, false),
                new Frame.Ack(1, 0),
                new Frame.Commit(1),
                new Frame.Bye());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            codec.write(out, f);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        FrameCodec reader = new FrameCodec(WireLimits.defaults());

        for (Frame f : frames) {
            assertThat(reader.read(in)).isEqualTo(f);
        }
        assertThatThrownBy(() -> reader.read(in)).isInstanceOf(PeerClosedException.class);
    }

    // ---- exact bytes --------------------------------------------------------------------------------------

    @Test
    void ackLayoutIsPinned() throws IOException {
        assertThat(HEX.formatHex(encode(new Frame.Ack(1, 2)))).isEqualTo("00000009" + "14" + "00000001" + "00000002");
    }

    @Test
    void chunkHeaderLayoutIsPinned() throws IOException {
        byte[] data = {0x00, 0x61, 0x62, 0x63, 0x00};
        String hex = HEX.formatHex(encode(new Frame.Chunk(1, 2, 0xdeadbeef, data, 1, 3)));

        // length = 1 type byte + 16 header bytes + 3 data bytes = 0x14
        assertThat(hex).isEqualTo("00000014" + "13" + "00000001" + "00000002" + "00000003" + "deadbeef" + "616263");
    }

    @Test
    void helloLayoutIsPinned() throws IOException {
        byte[] nonce = new byte[32];
        nonce[0] = (byte) 0xaa;
        String hex = HEX.formatHex(encode(new HandshakeFrame.Hello(2, 7, "ab", nonce, "z")));

        // 1 type + 4 magic + 2 + 2 + (2+2) folder + 32 nonce + (2+1) software = 48 = 0x30
        assertThat(hex).isEqualTo("00000030" + "01" + "46525259" + "0002" + "0007" + "0002" + "6162"
                + "aa" + "00".repeat(31) + "0001" + "7a");
    }

    @Test
    void needLayoutIsPinned() throws IOException {
        String hex = HEX.formatHex(encode(new Frame.Need(3, List.of(new Frame.Range(4, 5)), true, false)));

        assertThat(hex).isEqualTo("00000012" + "12" + "00000003" + "01" + "00000001" + "00000004" + "00000005");
        assertThat(HEX.formatHex(encode(new Frame.Need(3, List.of(), false, true))))
                .isEqualTo("0000000a" + "12" + "00000003" + "02" + "00000000");
    }

    // ---- malformed input ----------------------------------------------------------------------------------

    @Test
    void emptyStreamIsPeerClosed() {
        assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(PeerClosedException.class);
    }

    @Test
    void rejectsTruncatedHeader() {
        byte[] ack = encodeUnchecked(new Frame.Ack(1, 2));
        for (int got = 1; got < Protocol.HEADER_LENGTH; got++) {
            byte[] cut = Arrays.copyOf(ack, got);
            assertThatThrownBy(() -> decode(cut))
                    .isExactlyInstanceOf(PeerClosedException.class)
                    .hasMessage("truncated frame header: got " + got + " of 5 bytes");
        }
    }

    @Test
    void rejectsTruncatedPayload() {
        byte[] ack = encodeUnchecked(new Frame.Ack(1, 2));
        byte[] cut = Arrays.copyOf(ack, ack.length - 3);

        assertThatThrownBy(() -> decode(cut))
                .isInstanceOf(PeerClosedException.class)
                .hasMessage("truncated frame: type 0x14 payload got 5 of 8 bytes");
    }

    @Test
    void rejectsZeroLength() {
        byte[] wire = ByteBuffer.allocate(5).putInt(0).put(FrameType.ACK).array();

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("frame length=0");
    }

    @Test
    void rejectsOversizedLengthBeforeAllocating() {
        for (int length : new int[] {0x7fffffff, 0xffffffff, SMALL.maxFrameLength() + 1}) {
            // a header promising a huge frame, followed by a few bytes that must stay unread
            ByteArrayInputStream in = new ByteArrayInputStream(ByteBuffer.allocate(5 + 100)
                    .putInt(length).put(FrameType.CHUNK).array());
            FrameCodec small = new FrameCodec(SMALL);

            assertThatThrownBy(() -> small.read(in))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("frame length=" + Integer.toUnsignedString(length) + " > max=" + SMALL.maxFrameLength()
                            + " (type 0x13)");
            assertThat(in.available()).as("bytes left unread after the header").isEqualTo(100);
        }
    }

    @Test
    void acceptsFrameOfExactlyMaximumLengthAndRejectsOneByteMore() throws IOException {
        // a CHUNK can't fill a frame (its data is capped lower), so a HASHES frame of 300 digests does: 13 + 300 * 16
        int payload = 13 + 300 * 16;
        WireLimits limits = new WireLimits(WireLimits.MIN_CHUNK, 1 + payload);
        byte[] exact = frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 1).putInt(300).put(new byte[300 * 16]));
        byte[] oneMore = frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 1).putInt(300).put(new byte[300 * 16 + 1]));

        assertThat(new FrameCodec(limits).read(new ByteArrayInputStream(exact)))
                .isEqualTo(new Frame.Hashes(1, 0, HashAlgorithm.XXH3_128, new byte[300 * 16]));
        assertThatThrownBy(() -> new FrameCodec(limits).read(new ByteArrayInputStream(oneMore)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame length=" + (payload + 2) + " > max=" + (payload + 1) + " (type 0x11)");
    }

    @Test
    void rejectsUnknownType() {
        byte[] wire = ByteBuffer.allocate(5 + 4).putInt(5).put((byte) 0x7f).putInt(1).array();

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown frame type 0x7f (length=5)");
    }

    @Test
    void rejectsReservedTypesNotYetDefined() {
        for (int type = 0x25; type <= 0x2f; type++) { // 0x20-0x24: LIST, LISTING, DELETE, RENAME, SYMLINK
            byte[] wire = ByteBuffer.allocate(5).putInt(1).put((byte) type).array();
            assertThatThrownBy(() -> decode(wire))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("unknown frame type 0x" + Integer.toHexString(type));
        }
    }

    @Test
    void rejectsHelloWithBadMagic() {
        byte[] wire = frame(FrameType.HELLO, p -> p.putInt(0x48545450).putShort((short) 1).putShort((short) 1)
                .put(str("f")).put(new byte[32]).put(str("s")));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("bad magic 0x48545450 (not a ferry client?)");
    }

    @Test
    void rejectsHelloWithFolderNameOverLimit() {
        byte[] wire = frame(FrameType.HELLO, p -> p.putInt(Protocol.MAGIC).putShort((short) 1).putShort((short) 1)
                .put(str("f".repeat(256))).put(new byte[32]).put(str("s")));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("folder length=256 > max=255");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] wire = frame(FrameType.ACK, p -> p.putInt(1).putInt(2).put((byte) 0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("1 unexpected trailing bytes in frame type 0x14");
    }

    @Test
    void rejectsPayloadOnBye() {
        byte[] wire = frame(FrameType.BYE, p -> p.putInt(7));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("4 unexpected trailing bytes in frame type 0x32");
    }

    @Test
    void rejectsChunkWhoseDeclaredLengthDisagreesWithFrame() {
        byte[] wire = frame(FrameType.CHUNK, p -> p.putInt(1).putInt(0).putInt(5).putInt(0).put(new byte[3]));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("chunk length=5 but frame holds 3 data bytes");
    }

    @Test
    void rejectsChunkShorterThanItsHeader() {
        // fileId, index and length present, the CRC32C missing: the frame ends after 12 payload bytes
        byte[] wire = frame(FrameType.CHUNK, p -> p.putInt(1).putInt(0).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessage("field crc32c needs 4 bytes, frame has 0 left");
    }

    @Test
    void rejectsChunkLongerThanLimit() {
        int length = SMALL.maxChunkLength() + 1;
        byte[] wire = frame(FrameType.CHUNK, p -> p.putInt(1).putInt(0).putInt(length).putInt(0).put(new byte[length]));

        assertThatThrownBy(() -> new FrameCodec(SMALL).read(new ByteArrayInputStream(wire)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("chunk length=4097 > max=4096");
    }

    @Test
    void rejectsChunkWithNegativeDeclaredLength() {
        byte[] wire = frame(FrameType.CHUNK, p -> p.putInt(1).putInt(0).putInt(-1).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("chunk length=4294967295 out of range");
    }

    @Test
    void rejectsFileIdZeroOnFileFrames() {
        byte[] wire = frame(FrameType.ACK, p -> p.putInt(0).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("fileId=0 (must be positive)");
    }

    @Test
    void rejectsInvalidUtf8InPath() {
        byte[] badUtf8 = {'a', (byte) 0xc3, 0x28};
        byte[] wire = offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).putShort((short) badUtf8.length).put(badUtf8)
                .putLong(0).putLong(0).putInt(0).putInt(0644).putInt(4096).put((byte) 1).putInt(0)
                .put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("path is not valid UTF-8");
    }

    @Test
    void rejectsOverlongUtf8EncodingOfSlash() {
        // 0xc0 0xaf is an overlong '/', a classic way to smuggle a separator past string checks
        byte[] overlong = {'a', (byte) 0xc0, (byte) 0xaf, 'b'};
        byte[] wire = offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).putShort((short) overlong.length).put(overlong)
                .putLong(0).putLong(0).putInt(0).putInt(0644).putInt(4096).put((byte) 1).putInt(0)
                .put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("path is not valid UTF-8");
    }

    @Test
    void rejectsPathLongerThanLimit() {
        byte[] path = "p".repeat(Protocol.MAX_PATH_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        byte[] wire = offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).putShort((short) path.length).put(path)
                .putLong(0).putLong(0).putInt(0).putInt(0644).putInt(4096).put((byte) 1).putInt(0)
                .put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("path length=4097 > max=4096");
    }

    @Test
    void rejectsOfferWithChunkCountInconsistentWithSize() {
        byte[] wire = offerOf(10_000, 4096, 1, 2, 0, 16);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER chunkCount=2 but size=10000 / chunkSize=4096 needs 3");
    }

    @Test
    void rejectsOfferWithChunkCountForEmptyFile() {
        byte[] wire = offerOf(0, 4096, 1, 1, 0, 16);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("OFFER chunkCount=1 but size=0");
    }

    @Test
    void rejectsOfferWhoseSizeOverflowsChunkArithmetic() {
        byte[] wire = offerOf(Long.MAX_VALUE, 4096, 1, Integer.MAX_VALUE, 0, 16);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("OFFER chunkCount=" + Integer.MAX_VALUE + " but size=" + Long.MAX_VALUE);
    }

    @Test
    void rejectsOfferWithUnknownHashAlgorithm() {
        byte[] wire = offerOf(10_000, 4096, 9, 3, 0, 16);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("unknown hash algorithm id=9")
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_HASH);
    }

    @Test
    void rejectsOfferCarryingMoreHashesThanChunks() {
        byte[] wire = offerOf(10_000, 4096, 1, 3, 4, 16);

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER carries 4 hashes for chunkCount=3");
    }

    @Test
    void rejectsOfferDeclaringMoreHashBytesThanPresent() {
        // claims 3 hashes (48 bytes), carries one
        byte[] wire = offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).put(str("x")).putLong(10_000).putLong(0).putInt(0)
                .putInt(0644).putInt(4096).put((byte) 1).putInt(3).put(new byte[16]).putInt(3).put(new byte[16]));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER declares 3 entries of 16 bytes, frame has 16 left");
    }

    @Test
    void rejectsOfferWithChunkSizeOutsideLimits() {
        assertThatThrownBy(() -> decode(offerOf(10, 4095, 1, 1, 0, 16)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER chunkSize=4095 outside 4096..8388608");
        assertThatThrownBy(() -> new FrameCodec(SMALL).read(new ByteArrayInputStream(offerOf(10, 8192, 1, 1, 0, 16))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER chunkSize=8192 outside 4096..4096");
    }

    @Test
    void rejectsDirectoryOfferWithSize() {
        byte[] wire = offer(p -> p.putInt(1).put((byte) 1).put((byte) 0).put(str("d")).putLong(10).putLong(0).putInt(0)
                .putInt(0755).putInt(4096).put((byte) 1).putInt(1).put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER of a directory with size=10");
    }

    @Test
    void rejectsOfferWithUnknownKind() {
        byte[] wire = offer(p -> p.putInt(1).put((byte) 2).put(str("d")).putLong(0).putLong(0).putInt(0)
                .putInt(0755).putInt(4096).put((byte) 1).putInt(0).put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER kind=2 (expected 0 or 1)");
    }

    @Test
    void offerOfASymlinkCannotBeBuilt() {
        assertThatThrownBy(() -> new Frame.Offer(1, EntryKind.SYMLINK, "l", 0, 0, 0, 0777, 4096, HashAlgorithm.XXH3_128,
                new byte[16], 0, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an OFFER is of a file or a directory, not kind=SYMLINK");
    }

    @Test
    void rejectsOfferWithMtimeNanosOverOneSecond() {
        byte[] wire = offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).put(str("f")).putLong(0).putLong(0).putInt(1_000_000_000)
                .putInt(0644).putInt(4096).put((byte) 1).putInt(0).put(new byte[16]).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("OFFER mtimeNanos=1000000000 > 999999999");
    }

    @Test
    void rejectsNeedWithMoreRangesThanAllowed() {
        int n = Protocol.MAX_RANGES_PER_FRAME + 1;
        byte[] wire = frame(FrameType.NEED, 4 + 1 + 9 + n * 8, p -> {
            p.putInt(1).put((byte) 0).putInt(n);
            for (int i = 0; i < n; i++) {
                p.putInt(2 * i).putInt(1);
            }
        });

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NEED range count=65537 > max=65536");
    }

    @Test
    void rejectsNeedDeclaringMoreRangesThanPresent() {
        byte[] wire = frame(FrameType.NEED, p -> p.putInt(1).put((byte) 0).putInt(1000).putInt(0).putInt(1));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NEED declares 1000 entries of 8 bytes, frame has 8 left");
    }

    @Test
    void rejectsNeedRangeThatOverflows() {
        byte[] wire = frame(FrameType.NEED, p -> p.putInt(1).put((byte) 0).putInt(1)
                .putInt(Integer.MAX_VALUE).putInt(1));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NEED range start=2147483647 count=1 overflows");
    }

    @Test
    void rejectsNeedRangeWithZeroCount() {
        byte[] wire = frame(FrameType.NEED, p -> p.putInt(1).put((byte) 0).putInt(1).putInt(0).putInt(0));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("range count=0 (must be positive)");
    }

    @Test
    void rejectsIdenticalNeedThatAlsoListsRanges() {
        byte[] withRanges = frame(FrameType.NEED, p -> p.putInt(1).put((byte) 2).putInt(1).putInt(0).putInt(1));
        byte[] withMore = frame(FrameType.NEED, p -> p.putInt(1).put((byte) 3).putInt(0));

        assertThatThrownBy(() -> decode(withRanges))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NEED flags=2 with 1 ranges is not a valid combination");
        assertThatThrownBy(() -> decode(withMore))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NEED flags=3 with 0 ranges is not a valid combination");
    }

    @Test
    void rejectsHashesDeclaringMoreHashesThanBytesPresent() {
        byte[] wire = frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 2).putInt(1000).put(new byte[64]));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("HASHES declares 1000 entries of 32 bytes, frame has 64 left");
    }

    @Test
    void rejectsHashesDeclaringHugeCountWithoutOverflow() {
        // 0x7fffffff * 32 overflows an int; the check must be done in long arithmetic
        byte[] wire = frame(FrameType.HASHES, p -> p.putInt(1).putInt(0).put((byte) 2).putInt(Integer.MAX_VALUE)
                .put(new byte[64]));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("HASHES declares 2147483647 entries of 32 bytes, frame has 64 left");
    }

    @Test
    void rejectsWelcomeWithZeroChunkLength() {
        byte[] wire = frame(FrameType.WELCOME, p -> p.putInt(0).putLong(1));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("maxChunkLength=0 (must be positive)");
    }

    @Test
    void rejectsShortFixedFieldsNamingTheField() {
        byte[] wire = frame(FrameType.CHALLENGE, p -> p.putShort((short) 1).put(new byte[31]));

        assertThatThrownBy(() -> decode(wire))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("field serverNonce needs 32 bytes, frame has 31 left");
    }

    @Test
    void malformedFrameCarriesProtocolCode() {
        assertThatThrownBy(() -> decode(frame(FrameType.ACK, p -> p.putInt(0).putInt(0))))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.PROTOCOL);
    }

    // ---- property: hostile bytes never escape as anything but ProtocolException / PeerClosedException ---------

    @Test
    void truncatingAnyValidFrameAtAnyOffsetMeansThePeerIsGone() {
        for (Frame f : sampleFrames()) {
            byte[] wire = encodeUnchecked(f);
            for (int cut = 1; cut < wire.length; cut++) {
                byte[] truncated = Arrays.copyOf(wire, cut);
                assertThatThrownBy(() -> decode(truncated))
                        .as("%s cut at %d", f, cut)
                        .isExactlyInstanceOf(PeerClosedException.class)
                        .hasMessageStartingWith("truncated frame");
            }
        }
    }

    @Test
    void shrinkingTheLengthFieldOfAnyValidFrameNeverEscapesAsAnotherException() {
        List<String> escapes = new ArrayList<>();
        for (Frame f : sampleFrames()) {
            byte[] wire = encodeUnchecked(f);
            int length = wire.length - 4;
            for (int shorter = 1; shorter < length; shorter++) {
                byte[] mutated = wire.clone();
                ByteBuffer.wrap(mutated).putInt(0, shorter);
                checkDecodesOrRefuses(mutated, readers, escapes);
            }
        }
        assertThat(escapes).isEmpty();
    }

    @Test
    void randomBytesAndMutatedFramesNeverEscapeAsAnotherException() {
        Random random = new Random(0xfe77L);
        List<Frame> samples = sampleFrames();
        List<String> escapes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomFrameShaped(random);
                case 1 -> flipBytes(random, encodeUnchecked(samples.get(random.nextInt(samples.size()))));
                case 2 -> overwriteInts(random, encodeUnchecked(samples.get(random.nextInt(samples.size()))));
                default -> randomBytes(random, random.nextInt(64));
            };
            checkDecodesOrRefuses(input, readers, escapes);
        }
        assertThat(escapes).isEmpty();
    }

    @Test
    void concatenatedMutatedFramesNeverEscapeAsAnotherException() {
        Random random = new Random(42);
        List<Frame> samples = sampleFrames();
        List<String> escapes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int j = 0; j < 4; j++) {
                byte[] one = encodeUnchecked(samples.get(random.nextInt(samples.size())));
                stream.writeBytes(random.nextInt(3) == 0 ? flipBytes(random, one) : one);
            }
            checkDecodesOrRefuses(stream.toByteArray(), readers, escapes);
        }
        assertThat(escapes).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A codec keeps no state between frames, so one reader per limit serves every hostile input. */
    private final List<FrameCodec> readers = List.of(new FrameCodec(SMALL), new FrameCodec(WireLimits.defaults()));

    /** Reads frames until the stream ends or is refused; records any other throwable with the input that caused it. */
    private static void checkDecodesOrRefuses(byte[] input, List<FrameCodec> readers, List<String> escapes) {
        for (FrameCodec reader : readers) {
            ByteArrayInputStream in = new ByteArrayInputStream(input);
            try {
                while (true) {
                    Frame frame = reader.read(in);
                    assertThat(frame).isNotNull();
                }
            } catch (ProtocolException | PeerClosedException expected) {
                // refused or ended cleanly: fine
            } catch (Throwable t) {
                escapes.add(t + " for input " + HEX.formatHex(input) + " with " + reader.limits());
            }
        }
    }

    private static List<Frame> sampleFrames() {
        return List.of(
                new HandshakeFrame.Hello(2, 7, "photos", bytes(32, 1), "ferry/0.1"),
                new HandshakeFrame.Challenge(1, bytes(32, 2)),
                new HandshakeFrame.Auth(bytes(32, 3)),
                new HandshakeFrame.Welcome(4096, 1L << 40),
                new Frame.Error(ErrorCode.BUSY, 3, "busy"),
                new Frame.Offer(1, EntryKind.FILE, "a/b.txt", 10_000, 5, 6, 0644, 4096, HashAlgorithm.XXH3_128,
                        bytes(16, 4), 3, bytes(48, 5)),
                new Frame.Offer(2, EntryKind.FILE, "c", 8192, 5, 6, 0644, 4096, HashAlgorithm.SHA_256,
                        bytes(32, 6), 2, bytes(32, 7)),
                new Frame.Offer(3, EntryKind.DIRECTORY, "d", 0, 5, 6, 0755, 4096, HashAlgorithm.XXH3_128,
                        bytes(16, 8), 0, new byte[0]),
                new Frame.Hashes(1, 1, HashAlgorithm.XXH3_128, bytes(32, 9)),
                new Frame.Need(1, List.of(new Frame.Range(0, 2), new Frame.Range(7, 1)), true, false),
                new Frame.Need(1, List.of(), false, true),
                new Frame.Chunk(1, 0, 0x1234, bytes(40, 10), 0, 40),
                new Frame.Chunk(1, 1, 0, new byte[0], 0, 0),
                new Frame.Ack(1, 0),
                new Frame.Nack(1, 0, ErrorCode.CRC_MISMATCH),
                new Frame.Commit(1),
                new Frame.Done(1),
                new Frame.Ping(7),
                new Frame.Pong(7),
                new Frame.Bye());
    }

    /** A header with a plausible length and a known type, then random payload bytes. */
    private static byte[] randomFrameShaped(Random random) {
        byte[] types = {FrameType.HELLO, FrameType.CHALLENGE, FrameType.AUTH, FrameType.WELCOME, FrameType.ERROR,
                FrameType.OFFER, FrameType.HASHES, FrameType.NEED, FrameType.CHUNK, FrameType.ACK, FrameType.NACK,
                FrameType.COMMIT, FrameType.DONE, FrameType.PING, FrameType.PONG, FrameType.BYE};
        int payload = random.nextInt(120);
        byte[] body = randomBytes(random, payload);
        // bias some fields towards small values so that decoding gets past the first checks
        for (int k = 0; k + 4 <= payload; k += 4) {
            if (random.nextBoolean()) {
                ByteBuffer.wrap(body).putInt(k, random.nextInt(4));
            }
        }
        return ByteBuffer.allocate(5 + payload).putInt(payload + 1).put(types[random.nextInt(types.length)]).put(body).array();
    }

    private static byte[] flipBytes(Random random, byte[] wire) {
        byte[] mutated = wire.clone();
        int flips = 1 + random.nextInt(3);
        for (int k = 0; k < flips; k++) {
            mutated[random.nextInt(mutated.length)] ^= (byte) (1 + random.nextInt(255));
        }
        if (random.nextInt(4) == 0) {
            mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
        }
        return mutated;
    }

    /** Overwrites one aligned or unaligned int with a boundary value: where the length fields are. */
    private static byte[] overwriteInts(Random random, byte[] wire) {
        int[] boundaries = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xffff, 0x10000, 4096, 4097, 16, 17};
        byte[] mutated = wire.clone();
        if (mutated.length >= 4) {
            int at = random.nextInt(mutated.length - 3);
            ByteBuffer.wrap(mutated).putInt(at, boundaries[random.nextInt(boundaries.length)]);
        }
        return mutated;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Deterministic filler: byte i is {@code seed * 31 + i}. */
    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private void assertRoundTrips(Frame frame) throws IOException {
        assertThat(decode(encode(frame))).isEqualTo(frame);
    }

    private byte[] encode(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(out, frame);
        return out.toByteArray();
    }

    private byte[] encodeUnchecked(Frame frame) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.write(out, frame);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Decodes exactly one frame and checks that it used the whole input. */
    private Frame decode(byte[] wire) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        Frame frame = codec.read(in);
        assertThat(in.available()).as("bytes left after one frame").isZero();
        return frame;
    }

    /** A hand-built frame: the header is computed from what {@code body} wrote. */
    private static byte[] frame(byte type, Consumer<ByteBuffer> body) {
        return frame(type, 64 * 1024, body);
    }

    private static byte[] frame(byte type, int capacity, Consumer<ByteBuffer> body) {
        ByteBuffer payload = ByteBuffer.allocate(capacity);
        body.accept(payload);
        payload.flip();
        return ByteBuffer.allocate(5 + payload.remaining()).putInt(1 + payload.remaining()).put(type).put(payload).array();
    }

    private static byte[] offer(Consumer<ByteBuffer> body) {
        return frame(FrameType.OFFER, body);
    }

    /** An OFFER for "x" with the given numbers; {@code hashesHere} hashes of {@code digest} bytes follow the file hash. */
    private static byte[] offerOf(long size, int chunkSize, int algorithmId, int chunkCount, int hashesHere, int digest) {
        return offer(p -> p.putInt(1).put((byte) 0).put((byte) 0).put(str("x")).putLong(size).putLong(0).putInt(0).putInt(0644)
                .putInt(chunkSize).put((byte) algorithmId).putInt(chunkCount).put(new byte[digest]).putInt(hashesHere)
                .put(new byte[hashesHere * digest]));
    }

    /** u16 byte count + UTF-8. */
    private static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
    }
}
