package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Send-side state of one offered file: which chunks the receiver needs, which are sent, acked, or queued again.
 * Owned by the session's writer thread.
 */
final class OutgoingFile {
    final int id;
    final SourceEntry entry;
    /** Null for a directory, and for a streamed file until its hashes are known. */
    FileDigest digest;
    /** Streamed: the hashes computed so far as chunks are read for sending (chunk i at i * digestLength). */
    private final byte[] streamHashes;
    private final BitSet streamHashed = new BitSet();
    private final ArrayDeque<Frame.Range> needed = new ArrayDeque<>();
    private final ArrayDeque<Integer> resend = new ArrayDeque<>();
    private final BitSet acked = new BitSet();
    private final Map<Integer, Integer> attempts = new HashMap<>();
    private int neededCount;
    /** Streamed and resumed: the hashes of the chunks the receiver kept are still being computed. */
    private boolean unsentHashesPending;
    /** Streamed: its hashes, computed ahead of the chunks on a thread of its own; null once the file is done. */
    HashAhead ahead;
    /** Streamed: the receiver asked for the whole hash list first (NEED hashesFirst); it goes out once known. */
    boolean hashListWanted;
    /** Streamed: the whole hash list went out; chunks go without a HASHES frame of their own. */
    boolean hashListSent;
    private boolean needComplete;
    private boolean identical;
    private int cursorIndex = -1; // next index within needed.peekFirst()
    private long unackedBytes;
    private boolean committing;
    private FileChannel source;

    /** Inline: the whole content, read while the file held still; chunks (also re-sends) come from here. */
    final byte[] inlineData;

    OutgoingFile(int id, SourceEntry entry, FileDigest digest, byte[] streamHashes) {
        this(id, entry, digest, streamHashes, null);
    }

    private OutgoingFile(int id, SourceEntry entry, FileDigest digest, byte[] streamHashes, byte[] inlineData) {
        this.id = id;
        this.entry = entry;
        this.digest = digest;
        this.streamHashes = streamHashes;
        this.inlineData = inlineData;
    }

    /** A small file sent inline: every chunk counts as needed, and its COMMIT goes right behind them. */
    static OutgoingFile inline(int id, SourceEntry entry, FileDigest digest, byte[] content) {
        OutgoingFile f = new OutgoingFile(id, entry, digest, null, content);
        int count = digest.chunkCount();
        f.addNeed(new Frame.Need(id, count == 0 ? java.util.List.of() : java.util.List.of(new Frame.Range(0, count)), false, false));
        f.markCommitting();
        return f;
    }

    boolean streamed() {
        return streamHashes != null;
    }

    long size() {
        return entry.size();
    }

    /** Streamed: records chunk {@code index}'s hash; returns false if it differs from the one recorded before. */
    boolean recordStreamHash(int index, byte[] hash) {
        int d = hash.length;
        if (streamHashed.get(index)) {
            return java.util.Arrays.equals(streamHashes, index * d, index * d + d, hash, 0, d);
        }
        System.arraycopy(hash, 0, streamHashes, index * d, d);
        streamHashed.set(index);
        return true;
    }

    /** The first chunk this side hashed as it sent it whose hash differs in {@code digest}; -1 if none. */
    int firstStreamMismatch(FileDigest digest) {
        for (int i = streamHashed.nextSetBit(0); i >= 0; i = streamHashed.nextSetBit(i + 1)) {
            if (!digest.chunkEquals(i, streamHashes, i)) {
                return i;
            }
        }
        return -1;
    }

    boolean streamHashSent(int index) {
        return streamHashed.get(index);
    }

    byte[] streamHashes() {
        return streamHashes;
    }

    void addNeed(Frame.Need need) {
        for (Frame.Range r : need.ranges()) {
            needed.add(r);
            neededCount += r.count();
        }
        needComplete = !need.more();
        identical = need.identical();
    }

    /** The receiver already held this exact file. */
    boolean identical() {
        return identical;
    }

    boolean unsentHashesPending() {
        return unsentHashesPending;
    }

    void unsentHashesPending(boolean pending) {
        unsentHashesPending = pending;
    }

    boolean needComplete() {
        return needComplete;
    }

    int neededCount() {
        return neededCount;
    }

    boolean hasChunkToSend() {
        return !resend.isEmpty() || !needed.isEmpty();
    }

    /** The next chunk index to send: re-sends first, then the needed ranges in order. */
    int nextChunk() {
        if (!resend.isEmpty()) {
            return resend.poll();
        }
        Frame.Range r = needed.peekFirst();
        if (cursorIndex < 0) {
            cursorIndex = r.start();
        }
        int index = cursorIndex++;
        if (cursorIndex == r.start() + r.count()) {
            needed.pollFirst();
            cursorIndex = -1;
        }
        return index;
    }

    /** Counts a send of {@code index}; returns how many times it has been sent. */
    int sent(int index, int length) {
        unackedBytes += length;
        return attempts.merge(index, 1, Integer::sum);
    }

    int attempts(int index) {
        return attempts.getOrDefault(index, 0);
    }

    void acked(int index, int length) {
        if (!acked.get(index)) {
            acked.set(index);
            unackedBytes -= length;
        }
    }

    /** Chunk {@code index} was refused: no longer in flight; {@link #resendLater} queues it once its backoff ends. */
    void nacked(int index, int length) {
        unackedBytes -= length;
    }

    void resendLater(int index) {
        resend.add(index);
    }

    long unackedBytes() {
        return unackedBytes;
    }

    boolean allAcked() {
        return needComplete && acked.cardinality() == neededCount;
    }

    boolean committing() {
        return committing;
    }

    void markCommitting() {
        committing = true;
    }

    FileChannel source() throws IOException {
        if (source == null) {
            source = FileChannel.open(entry.local(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        }
        return source;
    }

    /** The file is done with on this side: its source is closed, its read-ahead stopped. */
    void closeSource() {
        if (ahead != null) {
            ahead.stop();
            ahead = null;
        }
        if (source != null) {
            try {
                source.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to lose
            }
            source = null;
        }
    }
}
