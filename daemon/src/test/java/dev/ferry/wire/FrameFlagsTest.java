package dev.ferry.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The named flag bits are the bytes on the wire: each frame's flags byte, read at its fixed offset. */
class FrameFlagsTest {
    /** Frame header (5) + fileId or requestId (4): where NEED's and LISTING's flags byte sits. */
    private static final int FLAGS_AFTER_ID = Protocol.HEADER_LENGTH + 4;
    /** OFFER: header, fileId, kind, then flags. */
    private static final int OFFER_FLAGS = Protocol.HEADER_LENGTH + 4 + 1;

    private final FrameCodec codec = new FrameCodec(WireLimits.defaults());

    @Test
    void offerDeliveryIsWrittenAsItsNamedBit() throws IOException {
        byte[] oneHash = new byte[16];
        assertThat(bytes(offer(Frame.Delivery.ASKED, oneHash, oneHash))[OFFER_FLAGS]).isEqualTo((byte) 0);
        assertThat(bytes(offer(Frame.Delivery.STREAMED, new byte[0], new byte[0]))[OFFER_FLAGS])
                .isEqualTo((byte) FileFrames.OFFER_STREAMED);
        assertThat(bytes(offer(Frame.Delivery.INLINE, oneHash, oneHash))[OFFER_FLAGS]).isEqualTo((byte) FileFrames.OFFER_INLINE);
    }

    @Test
    void needAnswersAreWrittenAsTheirNamedBits() throws IOException {
        assertThat(bytes(new Frame.Need(1, List.of(new Frame.Range(0, 1)), true, false))[FLAGS_AFTER_ID])
                .isEqualTo((byte) FileFrames.NEED_MORE);
        assertThat(bytes(new Frame.Need(1, List.of(), false, true))[FLAGS_AFTER_ID]).isEqualTo((byte) FileFrames.NEED_IDENTICAL);
        assertThat(bytes(Frame.Need.hashesFirst(1))[FLAGS_AFTER_ID]).isEqualTo((byte) FileFrames.NEED_HASHES_FIRST);
    }

    @Test
    void listingMoreIsWrittenAsItsNamedBit() throws IOException {
        assertThat(bytes(new Frame.Listing(7, List.of(), true))[FLAGS_AFTER_ID]).isEqualTo((byte) TreeFrames.LISTING_MORE);
        assertThat(bytes(new Frame.Listing(7, List.of(), false))[FLAGS_AFTER_ID]).isEqualTo((byte) 0);
    }

    private static Frame.Offer offer(Frame.Delivery delivery, byte[] fileHash, byte[] hashes) {
        return new Frame.Offer(1, EntryKind.FILE, "a", 10, 0, 0, 0644, WireLimits.MIN_CHUNK, HashAlgorithm.XXH3_128,
                fileHash, 1, hashes, delivery);
    }

    private byte[] bytes(Frame frame) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.write(out, frame);
        return out.toByteArray();
    }
}
