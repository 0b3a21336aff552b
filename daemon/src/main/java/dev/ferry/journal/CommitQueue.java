package dev.ferry.journal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The hand-off between the threads that append and the flusher that writes: a buffer of encoded records not yet
 * written, their sequence numbers, how far they are durable, and the group-commit rule that says when the flusher
 * takes them. A batch is due when {@link JournalOptions#commitEveryRecords()} records wait, when the oldest waiting
 * record is {@link JournalOptions#commitInterval()} old on the injected clock, when {@link #requestSync} asks, or
 * when the journal closes. The flusher's wait is computed from the injected clock, so with a fake clock nothing is
 * due until the test moves it (the flusher re-reads the clock at least once per interval of real time). A clock
 * that reads earlier than the oldest waiting record (a wall clock stepped back) makes the batch due at once: an
 * early commit costs an fsync, waiting for the clock to catch up could cost hours.
 *
 * <p>Every field is guarded by the journal's lock, which the appenders already hold when they call {@link #add}.
 * Appenders only encode into memory under it; the flusher holds it only to take a batch and to publish what it
 * made durable, never while it writes or forces.
 */
final class CommitQueue {
    private static final int INITIAL_BYTES = 64 * 1024;
    private static final int KEEP_BUFFER_BYTES = 1 << 20;

    /**
     * Records the flusher takes to write in one go.
     *
     * @param compact true if a compaction was asked for (the batch may then be empty)
     */
    record Batch(ByteBuffer bytes, int records, long lastSeq, boolean compact) {
    }

    /** What a compaction starts from: the records not yet written, and the state they lead to. */
    record Snapshot(Batch batch, JournalState state) {
    }

    private final ReentrantLock lock;
    private final Condition work;
    private final Condition progress;
    private final JournalOptions options;
    private final InstantSource clock;
    private final RecordCodec codec = new RecordCodec();

    private ByteBuffer pending = ByteBuffer.allocate(INITIAL_BYTES);
    private ByteBuffer spare;
    private int pendingRecords;
    private Instant oldestPendingAt;
    private long appendedSeq;
    private long durableSeq;
    private long syncWanted;
    private boolean compactWanted;
    private boolean closing;
    private IOException failure;

    private long recordsAppended;
    private long staleIgnored;
    private long bytesWritten;
    private long fsyncs;
    private long compactions;
    private final long tornTailsCut;

    CommitQueue(ReentrantLock lock, JournalOptions options, InstantSource clock, long bytesWrittenAtOpen,
            boolean tornTailCut) {
        this.lock = lock;
        this.work = lock.newCondition();
        this.progress = lock.newCondition();
        this.options = options;
        this.clock = clock;
        this.bytesWritten = bytesWrittenAtOpen;
        this.tornTailsCut = tornTailCut ? 1 : 0;
    }

    // ---- appenders (journal lock held) -----------------------------------------------------------------------

    /** Throws if appends can no longer be written: the journal closed or its flusher failed. */
    void checkUsable(Path dir) throws IOException {
        if (failure != null) {
            throw new IOException("journal dir=" + dir + " failed and takes no more records: " + failure.getMessage(),
                    failure);
        }
        if (closing) {
            throw new IOException("journal dir=" + dir + " is closed");
        }
    }

    /** Encodes {@code r} behind the records already waiting; returns its sequence number. */
    long add(JournalRecord r) {
        ByteBuffer frame = codec.encode(r);
        if (pending.remaining() < frame.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * pending.capacity(),
                    pending.position() + frame.remaining()));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(frame);
        pendingRecords++;
        recordsAppended++;
        if (pendingRecords == 1) {
            oldestPendingAt = clock.instant();
            work.signal(); // the flusher starts timing the interval
        } else if (pendingRecords == options.commitEveryRecords()) {
            work.signal();
        }
        return ++appendedSeq;
    }

    void ignoredStale() {
        staleIgnored++;
    }

    long appendedSeq() {
        return appendedSeq;
    }

    long durableSeq() {
        return durableSeq;
    }

    // ---- any thread ----------------------------------------------------------------------------------------------

    /**
     * Asks for everything appended so far to be written now; returns the sequence number to wait for.
     *
     * @throws IOException if the flusher failed: even with nothing new to write, a sync promises a working journal
     */
    long requestSync() throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("journal failed: " + failure.getMessage(), failure);
            }
            if (appendedSeq > durableSeq && appendedSeq > syncWanted) {
                syncWanted = appendedSeq;
                work.signal();
            }
            return appendedSeq;
        } finally {
            lock.unlock();
        }
    }

    void requestCompaction() {
        lock.lock();
        try {
            compactWanted = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until record {@code seq} is durable.
     *
     * @return false if {@code timeout} passed first
     * @throws IOException if the flusher failed before the record was durable, or the wait was interrupted
     */
    boolean awaitDurable(long seq, Duration timeout) throws IOException {
        long leftNs = timeout.toNanos();
        lock.lock();
        try {
            if (seq > appendedSeq) {
                throw new IllegalArgumentException("seq=" + seq + " was never appended (last seq=" + appendedSeq + ")");
            }
            while (durableSeq < seq) {
                if (failure != null) {
                    throw new IOException("journal failed before seq=" + seq + " was durable: "
                            + failure.getMessage(), failure);
                }
                if (leftNs <= 0) {
                    return false;
                }
                leftNs = progress.awaitNanos(leftNs);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for seq=" + seq + " to be durable");
        } finally {
            lock.unlock();
        }
    }

    /** No more appends; the flusher writes what waits and then stops. */
    void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    JournalCounters counters() {
        lock.lock();
        try {
            return new JournalCounters(recordsAppended, staleIgnored, bytesWritten, fsyncs, compactions, tornTailsCut);
        } finally {
            lock.unlock();
        }
    }

    IOException failure() {
        lock.lock();
        try {
            return failure;
        } finally {
            lock.unlock();
        }
    }

    // ---- the flusher ---------------------------------------------------------------------------------------------

    /** Waits until a batch is due and takes it; null once the journal is closing and nothing waits. */
    Batch awaitBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (compactWanted) {
                    compactWanted = false;
                    return take(true);
                }
                if (pendingRecords == 0) {
                    if (closing) {
                        return null;
                    }
                    work.await();
                    continue;
                }
                if (closing || syncWanted > durableSeq || pendingRecords >= options.commitEveryRecords()) {
                    return take(false);
                }
                Instant now = clock.instant();
                if (now.isBefore(oldestPendingAt)) {
                    return take(false); // the clock stepped back: commit early rather than wait for it to catch up
                }
                long waitNs = Duration.between(now, oldestPendingAt.plus(options.commitInterval())).toNanos();
                if (waitNs <= 0) {
                    return take(false);
                }
                work.awaitNanos(waitNs);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes what waits together with the state it leads to, in one step, so that the two agree. */
    Snapshot takeForCompaction(Supplier<JournalState> state) {
        lock.lock();
        try {
            return new Snapshot(take(true), state.get());
        } finally {
            lock.unlock();
        }
    }

    private Batch take(boolean compact) {
        Batch b = new Batch(pending.flip(), pendingRecords, appendedSeq, compact);
        pending = spare != null ? spare : ByteBuffer.allocate(INITIAL_BYTES);
        spare = null;
        pendingRecords = 0;
        oldestPendingAt = null;
        return b;
    }

    /** The flusher wrote {@code b} ({@code bytes} bytes) and, if {@code forced}, forced it. */
    void committed(Batch b, long bytes, boolean forced) {
        lock.lock();
        try {
            durableSeq = Math.max(durableSeq, b.lastSeq());
            bytesWritten += bytes;
            if (forced) {
                fsyncs++;
            }
            if (b.bytes().capacity() <= KEEP_BUFFER_BYTES) {
                spare = b.bytes().clear();
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The flusher switched to a compacted segment of {@code bytes} bytes. */
    void compacted(long bytes) {
        lock.lock();
        try {
            bytesWritten += bytes;
            compactions++;
        } finally {
            lock.unlock();
        }
    }

    /** The flusher stopped on {@code e}: appends and waits fail from now on. */
    void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
