package dev.ferry.journal;

import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The live state the records fold into: unfinished files by id (and by path, for superseding), pending tree
 * operations, and the next id. The same rules serve appends and replay:
 * <ul>
 *   <li>a record about an id that was handed out but is no longer live (committed, dropped, superseded, done) is
 *       stale: {@link #accepts} says false and it is neither written nor applied (connection threads can race the
 *       pair thread: an ack may arrive just after its file was superseded);</li>
 *   <li>a record that cannot be right (an id never handed out, a live id enqueued again, a chunk past the file's
 *       end) is refused with {@link IllegalArgumentException}: a caller bug on append, damage on replay.</li>
 * </ul>
 *
 * <p>Not thread-safe: guarded by the {@link Journal}'s lock (and used alone during open).
 */
final class LiveState {
    private final TreeMap<Long, FileProgress> files = new TreeMap<>();
    private final Map<String, Long> byPath = new HashMap<>();
    private final TreeMap<Long, TreeOp> ops = new TreeMap<>();
    private long nextId;

    LiveState(long nextId) {
        if (nextId < 1) {
            throw new IllegalArgumentException("nextId=" + nextId + " must be >= 1");
        }
        this.nextId = nextId;
    }

    long nextId() {
        return nextId;
    }

    Optional<FileProgress> file(long fileId) {
        return Optional.ofNullable(files.get(fileId));
    }

    /**
     * True if {@code r} changes the state; false if it is stale (names an id no longer live).
     *
     * @throws IllegalArgumentException if {@code r} cannot be right in this state
     */
    boolean accepts(JournalRecord r) {
        switch (r) {
            case FileEnqueued e -> {
                requireFresh(e.fileId());
                return true;
            }
            case TreeOpQueued q -> {
                requireFresh(q.opId());
                return true;
            }
            case ChunksAcked a -> {
                FileProgress f = live(a.fileId());
                if (f != null && a.toChunkExclusive() > f.version().chunkCount()) {
                    throw new IllegalArgumentException("chunks [" + a.fromChunk() + ", " + a.toChunkExclusive()
                            + ") acked past the end of fileId=" + a.fileId() + " (chunkCount="
                            + f.version().chunkCount() + ")");
                }
                return f != null;
            }
            case ChunkFailed c -> {
                FileProgress f = live(c.fileId());
                if (f != null && c.chunk() >= f.version().chunkCount()) {
                    throw new IllegalArgumentException("chunk=" + c.chunk() + " failed past the end of fileId="
                            + c.fileId() + " (chunkCount=" + f.version().chunkCount() + ")");
                }
                return f != null;
            }
            case FileCommitted c -> {
                return live(c.fileId()) != null;
            }
            case FileDropped d -> {
                return live(d.fileId()) != null;
            }
            case FileParked p -> {
                return live(p.fileId()) != null;
            }
            case TreeOpDone d -> {
                checkHandedOut(d.opId());
                return ops.containsKey(d.opId());
            }
        }
    }

    /** Applies a record {@link #accepts} said true to. */
    void apply(JournalRecord r) {
        switch (r) {
            case FileEnqueued e -> {
                Long older = byPath.put(e.path(), e.fileId());
                if (older != null) {
                    files.remove(older); // superseded by the newer version
                }
                files.put(e.fileId(), FileProgress.enqueued(e.fileId(), e.path(), e.version()));
                nextId = Math.max(nextId, e.fileId() + 1);
            }
            case TreeOpQueued q -> {
                ops.put(q.opId(), q.op());
                nextId = Math.max(nextId, q.opId() + 1);
            }
            case ChunksAcked a -> files.computeIfPresent(a.fileId(),
                    (id, f) -> f.withAcked(a.fromChunk(), a.toChunkExclusive()));
            case ChunkFailed c -> files.computeIfPresent(c.fileId(),
                    (id, f) -> f.withFailure(new FileProgress.Failure(c.chunk(), c.attempt(), c.reason())));
            case FileParked p -> files.computeIfPresent(p.fileId(),
                    (id, f) -> f.withParked(new FileProgress.Parked(p.reason(), p.retryAtEpochMillis())));
            case FileCommitted c -> remove(c.fileId());
            case FileDropped d -> remove(d.fileId());
            case TreeOpDone d -> ops.remove(d.opId());
        }
    }

    private void remove(long fileId) {
        FileProgress f = files.remove(fileId);
        if (f != null) {
            byPath.remove(f.path(), fileId);
        }
    }

    private void requireFresh(long id) {
        if (files.containsKey(id) || ops.containsKey(id)) {
            throw new IllegalArgumentException("id=" + id + " is already live");
        }
    }

    private FileProgress live(long fileId) {
        checkHandedOut(fileId);
        return files.get(fileId);
    }

    private void checkHandedOut(long id) {
        if (id >= nextId) {
            throw new IllegalArgumentException("id=" + id + " was never handed out (next id=" + nextId + ")");
        }
    }

    JournalState snapshot() {
        List<PendingTreeOp> pending = new ArrayList<>(ops.size());
        ops.forEach((id, op) -> pending.add(new PendingTreeOp(id, op)));
        return new JournalState(new ArrayList<>(files.values()), pending, nextId);
    }

    /**
     * The records that rebuild {@code state} from nothing, in the order a compacted segment holds them: per file its
     * enqueue, one ack per acked range, its latest failure and parking; then the tree operations. (The next id
     * travels in the segment header.)
     */
    static void rebuild(JournalState state, Consumer<JournalRecord> out) {
        for (FileProgress f : state.files()) {
            out.accept(new FileEnqueued(f.fileId(), f.path(), f.version()));
            for (ChunkRanges.Range r : f.acked().ranges()) {
                out.accept(new ChunksAcked(f.fileId(), r.from(), r.toExclusive()));
            }
            if (f.lastFailure() != null) {
                FileProgress.Failure x = f.lastFailure();
                out.accept(new ChunkFailed(f.fileId(), x.chunk(), x.attempt(), x.reason()));
            }
            if (f.parked() != null) {
                out.accept(new FileParked(f.fileId(), f.parked().reason(), f.parked().retryAtEpochMillis()));
            }
        }
        for (PendingTreeOp op : state.treeOps()) {
            out.accept(new TreeOpQueued(op.opId(), op.op()));
        }
    }
}
