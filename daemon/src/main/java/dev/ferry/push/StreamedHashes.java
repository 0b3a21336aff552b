package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The hashes of one streamed file, which is offered before it is hashed: each chunk's hash as it was first sent
 * (from the {@link HashAhead} if it got there first, else hashed as the chunk was read), the whole list once the
 * hash-ahead has it, and whether the receiver asked for that list first. A re-sent chunk must hash as it did the
 * first time, or the source changed under us. Owned by the writer thread, as its {@link OutgoingFile}.
 */
final class StreamedHashes {
    private final int digestLength;
    /** Chunk i's hash at i * digestLength, for the chunks in {@code recorded}. */
    private final byte[] sentHashes;
    private final BitSet recorded = new BitSet();
    /** Its hashes, computed ahead of the chunks on a thread of its own; null once the file is done. */
    private HashAhead ahead;
    /** The whole list, once the hash-ahead has it. */
    private FileDigest digest;
    /** The receiver asked for the whole hash list first (NEED hashesFirst); it goes out once known. */
    private boolean listWanted;
    /** The whole hash list went out; chunks go without a HASHES frame of their own. */
    private boolean listSent;
    /** Resumed: the hashes of the chunks the receiver kept are still being computed (the file hash needs them). */
    private boolean keptHashesPending;

    StreamedHashes(int chunkCount, int digestLength) {
        this.digestLength = digestLength;
        this.sentHashes = new byte[chunkCount * digestLength];
    }

    void ahead(HashAhead a) {
        this.ahead = a;
    }

    /** The whole list, or null until the hash-ahead reported it. */
    FileDigest digest() {
        return digest;
    }

    void digest(FileDigest d) {
        this.digest = d;
    }

    /** Chunk {@code index}'s hash as known without reading it: from the whole list or the hash-ahead; else false. */
    boolean knownHash(int index, byte[] out) {
        if (digest != null) {
            System.arraycopy(digest.chunkHashes(), index * out.length, out, 0, out.length);
            return true;
        }
        return ahead != null && ahead.hashOf(index, out);
    }

    /** Records chunk {@code index}'s hash; returns false if it differs from the one recorded before. */
    boolean record(int index, byte[] hash) {
        int d = digestLength;
        if (recorded.get(index)) {
            return Arrays.equals(sentHashes, index * d, index * d + d, hash, 0, d);
        }
        System.arraycopy(hash, 0, sentHashes, index * d, d);
        recorded.set(index);
        return true;
    }

    boolean recorded(int index) {
        return recorded.get(index);
    }

    /** The first chunk this side hashed as it sent it whose hash differs in {@code full}; -1 if none. */
    int firstMismatch(FileDigest full) {
        for (int i = recorded.nextSetBit(0); i >= 0; i = recorded.nextSetBit(i + 1)) {
            if (!full.chunkEquals(i, sentHashes, i)) {
                return i;
            }
        }
        return -1;
    }

    /** The hashes recorded as chunks were sent (a whole list when every chunk was sent). */
    byte[] sentHashes() {
        return sentHashes;
    }

    boolean listWanted() {
        return listWanted;
    }

    void wantList() {
        listWanted = true;
    }

    boolean listSent() {
        return listSent;
    }

    void listSent(boolean sent) {
        listSent = sent;
    }

    boolean keptHashesPending() {
        return keptHashesPending;
    }

    void keptHashesPending(boolean pending) {
        keptHashesPending = pending;
    }

    /** The file is done with: its hash-ahead stops. */
    void stop() {
        if (ahead != null) {
            ahead.stop();
            ahead = null;
        }
    }
}
