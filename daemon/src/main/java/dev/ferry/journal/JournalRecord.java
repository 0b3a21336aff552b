package dev.ferry.journal;

import java.util.Objects;

/**
 * One entry of the journal, as appended and as replayed. {@link RecordCodec} maps each to its bytes; {@link LiveState}
 * folds them into the live state. Constructors check every field, so a record that exists can be written, and a
 * decoded one that breaks a rule counts as damage. Reasons are normalised on the way in ({@link Strings#reason}).
 */
sealed interface JournalRecord {

    /** The file or tree-operation id the record is about. */
    long id();

    /** A version of a file to send; supersedes an unfinished entry for the same path. */
    record FileEnqueued(long fileId, String path, FileVersion version) implements JournalRecord {
        public FileEnqueued {
            checkId(fileId);
            Strings.path("path", path);
            Objects.requireNonNull(version, "version");
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** The receiver acknowledged chunks {@code [fromChunk, toChunkExclusive)}. */
    record ChunksAcked(long fileId, int fromChunk, int toChunkExclusive) implements JournalRecord {
        public ChunksAcked {
            checkId(fileId);
            new ChunkRanges.Range(fromChunk, toChunkExclusive); // checks the bounds
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** Sending a chunk failed. */
    record ChunkFailed(long fileId, int chunk, int attempt, String reason) implements JournalRecord {
        public ChunkFailed {
            checkId(fileId);
            if (chunk < 0) {
                throw new IllegalArgumentException("chunk=" + chunk + " must be >= 0");
            }
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt=" + attempt + " must be >= 1");
            }
            reason = Strings.reason(reason);
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** The receiver committed the file: it leaves the live state. */
    record FileCommitted(long fileId) implements JournalRecord {
        public FileCommitted {
            checkId(fileId);
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** The file was abandoned (its source changed or vanished): it leaves the live state. */
    record FileDropped(long fileId, String reason) implements JournalRecord {
        public FileDropped {
            checkId(fileId);
            reason = Strings.reason(reason);
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** The file keeps failing: it stays live, flagged as parked until {@code retryAtEpochMillis}. */
    record FileParked(long fileId, String reason, long retryAtEpochMillis) implements JournalRecord {
        public FileParked {
            checkId(fileId);
            reason = Strings.reason(reason);
        }

        @Override
        public long id() {
            return fileId;
        }
    }

    /** A tree operation to carry out on the target. */
    record TreeOpQueued(long opId, TreeOp op) implements JournalRecord {
        public TreeOpQueued {
            checkId(opId);
            Objects.requireNonNull(op, "op");
        }

        @Override
        public long id() {
            return opId;
        }
    }

    /** The receiver answered the tree operation: it leaves the live state. */
    record TreeOpDone(long opId) implements JournalRecord {
        public TreeOpDone {
            checkId(opId);
        }

        @Override
        public long id() {
            return opId;
        }
    }

    private static void checkId(long id) {
        if (id < 1) {
            throw new IllegalArgumentException("id=" + id + " must be >= 1");
        }
    }
}
