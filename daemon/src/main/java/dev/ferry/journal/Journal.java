package dev.ferry.journal;

import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import dev.ferry.logging.Human;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.MDC;

/**
 * One sync target's sending progress, kept in an append-only log so that after a crash, a kill -9 or a reboot every
 * unfinished file resumes with only its unacknowledged chunks, and every queued tree operation is carried out. The
 * layout on disk is drawn in {@link JournalFormat}; {@link #open} replays it (see {@link Recovery}).
 *
 * <p>Threads. Any thread may call the append methods, {@link #state()}, {@link #sync()} and
 * {@link #awaitDurable}: the pair thread enqueues files and tree operations, the target's connection threads record
 * acks and failures. One lock orders the records; under it an append only checks the record against the live state,
 * encodes it into memory and applies it (microseconds, never I/O). One virtual thread per journal, the
 * {@link Flusher} ("ferry-journal-&lt;folder&gt;"), owns the files after open: it writes batches, forces them and
 * compacts. {@link #open} runs on the caller's thread before the flusher starts; {@link #close} stops it.
 *
 * <p>Durability. Each append returns at once with a sequence number (or an id; {@link #appendedSeq()} then gives
 * the sequence number). A record is durable once its batch is written and forced: within
 * {@link JournalOptions#commitInterval()} of the oldest record waiting, or as soon as
 * {@link JournalOptions#commitEveryRecords()} wait, plus the time of the write and fsync. Durability is in order:
 * when record n is durable, so is every record before it. {@link #awaitDurable} waits for one; {@link #sync()} asks
 * for everything appended so far to be written now and waits for it. {@link #state()} includes appends that are not
 * durable yet; after a crash only the durable ones come back. With {@code durable=false} "durable" means written to
 * the OS (it survives a killed process, not a power cut).
 *
 * <p>Stale ids. An ack, failure, commit, drop or park for a file that is no longer live (committed, dropped, or
 * superseded by a newer version of its path), or a done for a tree operation already done, is neither written nor
 * applied: such races between the pair thread and connection threads are normal. The call returns
 * {@link #appendedSeq()} and {@link JournalCounters#staleRecordsIgnored()} counts it. An id that was never handed
 * out, or a chunk past the end of the file, is a bug: {@link IllegalArgumentException}.
 *
 * <p>Failure. If a write, fsync or compaction fails, the journal stops taking records: appends and {@link #sync()}
 * throw {@link IOException} from then on, and so does {@link #awaitDurable} for a record that was not durable before
 * the failure (after a failed fsync the page cache cannot be trusted). What was durable is on disk; close the journal
 * and open it again to go on.
 */
public final class Journal implements AutoCloseable {
    private final Path dir;
    private final JournalOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final LiveState live;     // guarded by lock
    private final CommitQueue queue;  // guarded by lock
    private final Closeable dirLock;
    private final Thread flusher;
    private boolean closed;           // guarded by lock

    private Journal(Path dir, JournalOptions options, InstantSource clock, Closeable dirLock, Recovery.Recovered r) {
        this.dir = dir;
        this.options = options;
        this.dirLock = dirLock;
        this.live = r.state();
        this.queue = new CommitQueue(lock, options, clock, r.bytesWritten(), r.tornTailCut());
        Flusher f = new Flusher(dir, options, queue, this::liveSnapshot, MDC.getCopyOfContextMap(), r.channel(),
                r.segment(), r.size());
        this.flusher = Thread.ofVirtual().name("ferry-journal-" + dir.getFileName()).unstarted(f);
    }

    /**
     * Opens the journal in {@code dir} (created if missing): replays the newest segment, cuts a torn or damaged tail
     * (logged at WARN with its offset), removes what an interrupted compaction left, and starts the flusher.
     *
     * @param clock drives the group-commit interval; tests pass a clock they move by hand
     * @throws JournalCorruptException if the newest segment's header is damaged or of an unknown format version
     * @throws IOException             if the folder cannot be read or written, or another journal holds it
     */
    public static Journal open(Path dir, JournalOptions options, InstantSource clock) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        Files.createDirectories(dir);
        Closeable dirLock = Segments.lock(dir);
        try {
            Journal j = new Journal(dir, options, clock, dirLock, Recovery.run(dir, options));
            j.flusher.start();
            return j;
        } catch (IOException | RuntimeException e) {
            try {
                dirLock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The folder this journal lives in. */
    public Path directory() {
        return dir;
    }

    // ---- appends -------------------------------------------------------------------------------------------------

    /**
     * Records a version of {@code path} to send; an unfinished entry for the same path is superseded (dropped from
     * the live state). Ids grow monotonically across restarts and compactions, and are shared with tree operations.
     *
     * @return the new file's id
     */
    public long enqueueFile(String path, FileVersion version) throws IOException {
        lock.lock();
        try {
            long id = live.nextId();
            append(new FileEnqueued(id, path, version));
            return id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that the receiver acknowledged chunks {@code [fromChunk, toChunkExclusive)}. Append it only once the
     * ack has arrived: replay takes it as fact.
     *
     * @return the record's sequence number, for {@link #awaitDurable}
     */
    public long chunksAcked(long fileId, int fromChunk, int toChunkExclusive) throws IOException {
        return append(new ChunksAcked(fileId, fromChunk, toChunkExclusive));
    }

    /**
     * Records a failed chunk. The journal keeps the latest failure of each file as given: pass as {@code attempt}
     * the file's running attempt count ({@link FileProgress#attempts()} + 1), which a restart then resumes from.
     * {@code reason} is cut to {@value JournalFormat#MAX_REASON_BYTES} bytes of UTF-8.
     */
    public long chunkFailed(long fileId, int chunk, int attempt, String reason) throws IOException {
        return append(new ChunkFailed(fileId, chunk, attempt, reason));
    }

    /** Records that the receiver committed the file; it leaves the live state. */
    public long fileCommitted(long fileId) throws IOException {
        return append(new FileCommitted(fileId));
    }

    /** Records that the file was abandoned (its source changed or vanished); it leaves the live state. */
    public long fileDropped(long fileId, String reason) throws IOException {
        return append(new FileDropped(fileId, reason));
    }

    /** Parks a file that keeps failing: it stays live, flagged with the reason and when to retry. */
    public long fileParked(long fileId, String reason, long retryAtEpochMillis) throws IOException {
        return append(new FileParked(fileId, reason, retryAtEpochMillis));
    }

    /** Queues a tree operation; returns its id (from the same counter as file ids). */
    public long queueTreeOp(TreeOp op) throws IOException {
        lock.lock();
        try {
            long id = live.nextId();
            append(new TreeOpQueued(id, op));
            return id;
        } finally {
            lock.unlock();
        }
    }

    /** Records that the receiver answered tree operation {@code opId}; it leaves the live state. */
    public long treeOpDone(long opId) throws IOException {
        return append(new TreeOpDone(opId));
    }

    private long append(JournalRecord r) throws IOException {
        lock.lock();
        try {
            queue.checkUsable(dir);
            if (!live.accepts(r)) {
                queue.ignoredStale();
                return queue.appendedSeq();
            }
            long seq = queue.add(r);
            live.apply(r);
            return seq;
        } finally {
            lock.unlock();
        }
    }

    // ---- durability ----------------------------------------------------------------------------------------------

    /** Sequence number of the last record appended since open (0 if none). */
    public long appendedSeq() {
        lock.lock();
        try {
            return queue.appendedSeq();
        } finally {
            lock.unlock();
        }
    }

    /** Every record up to this sequence number is durable. */
    public long durableSeq() {
        lock.lock();
        try {
            return queue.durableSeq();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until record {@code seq} (and so every record before it) is durable, without hurrying its group commit.
     *
     * @return false if {@code timeout} passed first
     * @throws IOException              if the journal failed first, or the wait was interrupted
     * @throws IllegalArgumentException if no record {@code seq} was appended
     */
    public boolean awaitDurable(long seq, Duration timeout) throws IOException {
        return queue.awaitDurable(seq, timeout);
    }

    /**
     * Writes and forces everything appended so far, now, and waits for it (at most
     * {@link JournalOptions#syncTimeout()}).
     *
     * @throws IOException if the journal failed, or the deadline passed
     */
    public void sync() throws IOException {
        long target = queue.requestSync();
        if (!queue.awaitDurable(target, options.syncTimeout())) {
            throw new IOException("journal dir=" + dir + ": sync of seq=" + target + " not done within "
                    + Human.duration(options.syncTimeout()));
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** An immutable snapshot of the live state (a copy: O(live files)). */
    public JournalState state() {
        return liveSnapshot();
    }

    /** One unfinished file, without copying the whole state. */
    public Optional<FileProgress> file(long fileId) {
        lock.lock();
        try {
            return live.file(fileId);
        } finally {
            lock.unlock();
        }
    }

    public JournalCounters counters() {
        return queue.counters();
    }

    private JournalState liveSnapshot() {
        lock.lock();
        try {
            return live.snapshot();
        } finally {
            lock.unlock();
        }
    }

    /** Asks the flusher to compact now, whatever the segment's size (tests). */
    void requestCompaction() {
        queue.requestCompaction();
    }

    /** What stopped the flusher, or null while it runs (tests). */
    IOException failure() {
        return queue.failure();
    }

    // ---- closing -------------------------------------------------------------------------------------------------

    /**
     * Writes and forces what waits, stops the flusher (waiting at most {@link JournalOptions#syncTimeout()}) and
     * releases the folder. Appends fail from now on. Idempotent.
     *
     * @throws IOException if the last records could not be made durable, or the flusher did not stop in time
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        queue.close();
        IOException failure = null;
        try {
            if (!flusher.join(options.syncTimeout())) {
                flusher.interrupt(); // closes the segment channel under a blocked write
                flusher.join(options.syncTimeout());
                failure = new IOException("journal dir=" + dir + ": flusher did not stop within "
                        + Human.duration(options.syncTimeout()) + "; the last records may not be durable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            flusher.interrupt();
            failure = new java.io.InterruptedIOException("interrupted while closing journal dir=" + dir);
        }
        IOException flushFailure = queue.failure();
        if (failure == null && flushFailure != null && durableSeq() < appendedSeq()) {
            failure = new IOException("journal dir=" + dir + ": the last records are not durable: "
                    + flushFailure.getMessage(), flushFailure);
        }
        try {
            dirLock.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Journal[dir=" + dir + "]";
    }
}
