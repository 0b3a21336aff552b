package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Send-side state of one offered file: which chunks the receiver needs, which are sent, acked, or queued again.
 * Owned by the session's writer thread.
 */
final class OutgoingFile {
    final int id;
    final SourceEntry entry;
    /** The hash list it was offered with; null for a directory and a streamed file. */
    private final FileDigest offeredDigest;
    /** Streamed: its hashes as they become known; null otherwise. */
    private final StreamedHashes stream;
    private final ArrayDeque<Frame.Range> needed = new ArrayDeque<>();
    private final ArrayDeque<Integer> resend = new ArrayDeque<>();
    private final BitSet acked = new BitSet();
    private final Map<Integer, Integer> attempts = new HashMap<>();
    private int neededCount;
    private boolean needComplete;
    private boolean identical;
    private int cursorIndex = -1; // next index within needed.peekFirst()
    private long unackedBytes;
    private boolean committing;
    private FileChannel source;
    /** The key its SHARE gave it (its stripes JOIN with it); null if not shared. */
    private byte[] shareKey;
    /** Its chunks were split into stripes once already. */
    private boolean stripedOnce;
    /** Stripes of its chunks out on other connections, not yet ended ({@link Striping}). */
    private final List<StripeJob> stripes = new ArrayList<>();

    /** Inline: the whole content, read while the file held still; chunks (also re-sends) come from here. */
    final byte[] inlineData;

    OutgoingFile(int id, SourceEntry entry, FileDigest offeredDigest, StreamedHashes stream) {
        this(id, entry, offeredDigest, stream, null);
    }

    private OutgoingFile(int id, SourceEntry entry, FileDigest offeredDigest, StreamedHashes stream, byte[] inlineData) {
        this.id = id;
        this.entry = entry;
        this.offeredDigest = offeredDigest;
        this.stream = stream;
        this.inlineData = inlineData;
    }

    /** A small file sent inline: every chunk counts as needed, and its COMMIT goes right behind them. */
    static OutgoingFile inline(int id, SourceEntry entry, FileDigest digest, byte[] content) {
        OutgoingFile f = new OutgoingFile(id, entry, digest, null, content);
        int count = digest.chunkCount();
        f.addNeed(new Frame.Need(id, count == 0 ? List.of() : List.of(new Frame.Range(0, count)), false, false));
        f.markCommitting();
        return f;
    }

    boolean streamed() {
        return stream != null;
    }

    /** Streamed only: its hashes. */
    StreamedHashes stream() {
        return stream;
    }

    /** Its whole hash list if known: the one it was offered with, or a streamed file's once hashed ahead; else null. */
    FileDigest digest() {
        return stream != null ? stream.digest() : offeredDigest;
    }

    long size() {
        return entry.size();
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

    /** Streamed and resumed: the file hash waits for the hashes of the chunks the receiver kept. */
    boolean keptHashesPending() {
        return stream != null && stream.keptHashesPending();
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
        return needComplete && stripes.isEmpty() && acked.cardinality() == neededCount;
    }

    byte[] shareKey() {
        return shareKey;
    }

    void shareKey(byte[] key) {
        this.shareKey = key;
    }

    /** Whether stripes were handed out already (a file is split once). */
    boolean striped() {
        return shareKey == null || stripedOnce;
    }

    /**
     * Splits the chunks not yet sent into {@code parts + 1} runs of about the same length: this file keeps the first
     * and sends it as before; the others are returned, each a stripe for another connection.
     */
    List<List<Frame.Range>> splitOff(int parts) {
        stripedOnce = true;
        List<Frame.Range> left = new ArrayList<>();
        for (Frame.Range r : needed) {
            int from = r == needed.peekFirst() && cursorIndex >= 0 ? cursorIndex : r.start();
            if (from < r.start() + r.count()) {
                left.add(new Frame.Range(from, r.start() + r.count() - from));
            }
        }
        long total = left.stream().mapToLong(Frame.Range::count).sum();
        long share = Math.ceilDiv(total, parts + 1);
        List<List<Frame.Range>> runs = new ArrayList<>();
        List<Frame.Range> run = new ArrayList<>();
        long inRun = 0;
        for (Frame.Range r : left) {
            int start = r.start();
            int count = r.count();
            while (count > 0) {
                int take = (int) Math.min(count, share - inRun);
                run.add(new Frame.Range(start, take));
                start += take;
                count -= take;
                inRun += take;
                if (inRun == share) {
                    runs.add(run);
                    run = new ArrayList<>();
                    inRun = 0;
                }
            }
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        needed.clear();
        cursorIndex = -1;
        if (!runs.isEmpty()) {
            needed.addAll(runs.removeFirst());
        }
        return runs;
    }

    /** A stripe of its chunks went out on another connection. */
    void stripeStarted(StripeJob job) {
        stripes.add(job);
    }

    /** A stripe ended (its chunks ACKed there, or handed back to this connection). */
    void stripeEnded(StripeJob job) {
        stripes.remove(job);
    }

    /** Its stripes still out stop (the file ended here). */
    void cancelStripes() {
        stripes.forEach(StripeJob::cancel);
        stripes.clear();
    }

    /** Chunk {@code index} was acknowledged on another connection (a stripe): never in this one's window. */
    void ackedElsewhere(int index) {
        acked.set(index);
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
        if (stream != null) {
            stream.stop();
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
