package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A hash list continues in order; streamed hashes may come for any chunk of the file, ahead of it. */
class ExpectedHashesTest {
    static final int D = HashAlgorithm.XXH3_128.digestLength();

    static Frame.Offer offerOf(int chunks, int hashesInOffer) {
        byte[] hashes = new byte[hashesInOffer * D];
        return new Frame.Offer(1, EntryKind.FILE, "f.bin", chunks * 1024L, 1, 0, 0644, 1024, HashAlgorithm.XXH3_128,
                new byte[D], chunks, hashes);
    }

    static Frame.Hashes hashes(int first, int count, int fill) {
        byte[] h = new byte[count * D];
        Arrays.fill(h, (byte) fill);
        return new Frame.Hashes(1, first, HashAlgorithm.XXH3_128, h);
    }

    @Test
    void aHashListIsCompleteOnceItsFramesContinueEachOther() throws FileFailure {
        ExpectedHashes e = new ExpectedHashes(offerOf(4, 1));
        assertThat(e.complete()).isFalse();

        e.append(hashes(1, 3, 7));

        assertThat(e.complete()).isTrue();
        assertThat(e.knownInOrder(3)).isTrue();
        byte[] actual = new byte[4 * D];
        Arrays.fill(actual, 2 * D, 3 * D, (byte) 7);
        assertThat(e.matches(2, actual)).isTrue();
        assertThat(e.matches(0, actual)).as("chunk 0's expected hash is all zeros").isTrue();
        actual[0] = 1;
        assertThat(e.matches(0, actual)).isFalse();
    }

    @Test
    void aHashesFrameThatSkipsAheadInAListIsAProtocolError() {
        ExpectedHashes e = new ExpectedHashes(offerOf(4, 1));

        assertThatThrownBy(() -> e.append(hashes(2, 1, 7)))
                .isInstanceOf(FileFailure.class)
                .hasMessage("HASHES for chunks 2..3 do not continue the 1 of 4 known")
                .extracting(f -> ((FileFailure) f).code()).isEqualTo(ErrorCode.PROTOCOL);
    }

    @Test
    void streamedHashesMayArriveForAnyChunkButNotBeyondTheFile() throws FileFailure {
        ExpectedHashes e = new ExpectedHashes(offerOf(4, 0));

        e.addAhead(hashes(2, 1, 7));

        assertThat(e.knownAhead(2)).isTrue();
        assertThat(e.knownAhead(1)).isFalse();
        assertThat(e.knownAhead()).isEqualTo(1);
        assertThatThrownBy(() -> e.addAhead(hashes(3, 2, 7)))
                .hasMessage("HASHES for chunks 3..5 outside the file's 4 chunks");
    }
}
