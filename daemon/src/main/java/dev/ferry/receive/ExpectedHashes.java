package dev.ferry.receive;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The chunk hashes an OFFER promises, as they arrive: in the OFFER and then HASHES frames in order (a hash list),
 * or, streamed, one HASHES frame ahead of each chunk. Owned by the {@link IncomingFile} of that offer (its session's
 * thread).
 */
final class ExpectedHashes {
    private final Frame.Offer offer;
    private final int chunkCount;
    private final int digestLength;
    private final byte[] expected;
    /** Hashes known from the start of the list, in order. */
    private int inOrder;
    /** Streamed: the chunks whose hash has arrived ahead of them. */
    private final BitSet ahead = new BitSet();

    ExpectedHashes(Frame.Offer offer) {
        this.offer = offer;
        this.chunkCount = offer.chunkCount();
        this.digestLength = offer.algorithm().digestLength();
        this.expected = new byte[Math.multiplyExact(chunkCount, digestLength)];
        System.arraycopy(offer.hashes(), 0, expected, 0, offer.hashes().length);
        this.inOrder = offer.hashesInFrame();
    }

    /** Every hash of the list is known. */
    boolean complete() {
        return inOrder == chunkCount;
    }

    /** The next HASHES frame of the list: it must continue where the known hashes end. */
    void append(Frame.Hashes h) throws FileFailure {
        if (h.algorithm() != offer.algorithm() || h.firstIndex() != inOrder || inOrder + (long) h.count() > chunkCount) {
            throw new FileFailure(ErrorCode.PROTOCOL, "HASHES for chunks " + h.firstIndex() + ".." + (h.firstIndex() + h.count())
                    + " do not continue the " + inOrder + " of " + chunkCount + " known");
        }
        System.arraycopy(h.hashes(), 0, expected, inOrder * digestLength, h.hashes().length);
        inOrder += h.count();
    }

    /** Streamed: a HASHES frame ahead of the chunks it names, in NEED order (gaps where chunks were resumed). */
    void addAhead(Frame.Hashes h) throws FileFailure {
        if (h.algorithm() != offer.algorithm() || h.firstIndex() < 0 || h.firstIndex() + (long) h.count() > chunkCount) {
            throw new FileFailure(ErrorCode.PROTOCOL, "HASHES for chunks " + h.firstIndex() + ".." + (h.firstIndex() + h.count())
                    + " outside the file's " + chunkCount + " chunks");
        }
        System.arraycopy(h.hashes(), 0, expected, h.firstIndex() * digestLength, h.hashes().length);
        ahead.set(h.firstIndex(), h.firstIndex() + h.count());
    }

    boolean knownInOrder(int index) {
        return index < inOrder;
    }

    int knownInOrder() {
        return inOrder;
    }

    boolean knownAhead(int index) {
        return ahead.get(index);
    }

    int knownAhead() {
        return ahead.cardinality();
    }

    /** Chunk {@code index}'s hash in {@code hashes} (laid out like this list) is the one expected. */
    boolean matches(int index, byte[] hashes) {
        return matches(index, hashes, index * digestLength);
    }

    /** The hash at {@code hashes[offset]} is the one expected for chunk {@code index}. */
    boolean matches(int index, byte[] hashes, int offset) {
        int at = index * digestLength;
        return Arrays.equals(hashes, offset, offset + digestLength, expected, at, at + digestLength);
    }

    /** The whole list as known so far, chunk 0 first (the list itself: not to be changed). */
    byte[] all() {
        return expected;
    }

    /** The file hash the expected chunk hashes add up to. */
    byte[] fileHash() {
        return FileDigest.fileHash(offer.algorithm(), offer.chunkSize(), offer.size(), expected);
    }

    /** The hash list adds up to the offered file hash (a streamed offer's file hash comes with COMMIT instead). */
    void checkAgainstOffer() throws FileFailure {
        if (!Arrays.equals(fileHash(), offer.fileHash())) {
            throw new FileFailure(ErrorCode.HASH_MISMATCH, "chunk hash list does not match the offered file hash");
        }
    }
}
