package dev.ferry.journal;

import java.util.Objects;

/**
 * Where sending one version of a file stands: what the journal knows about an unfinished file.
 *
 * @param fileId      the id {@link Journal#enqueueFile} gave it
 * @param path        relative path in the pair
 * @param version     the version being sent and its chunking
 * @param acked       chunks the receiver acknowledged; {@link #missing()} gives the rest
 * @param lastFailure the latest {@link Journal#chunkFailed} for this file, or null if none
 * @param parked      set by {@link Journal#fileParked} (the latest one wins), or null if the file is not parked. It
 *                    stays set while the file is live: the caller decides what a past {@code retryAtEpochMillis}
 *                    means.
 */
public record FileProgress(long fileId, String path, FileVersion version, ChunkRanges acked, Failure lastFailure,
        Parked parked) {

    /**
     * A failed chunk.
     *
     * @param attempt the caller's attempt number, stored as given; {@link Journal#chunkFailed} says what to pass
     */
    public record Failure(int chunk, int attempt, String reason) {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why the file is parked and when the caller meant to try again (epoch milliseconds). */
    public record Parked(String reason, long retryAtEpochMillis) {
        public Parked {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public FileProgress {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(acked, "acked");
    }

    /** A file just enqueued: nothing acked, no failure, not parked. */
    static FileProgress enqueued(long fileId, String path, FileVersion version) {
        return new FileProgress(fileId, path, version, ChunkRanges.empty(), null, null);
    }

    /** The chunks the receiver has not acknowledged yet, in order. */
    public ChunkRanges missing() {
        return acked.complement(version.chunkCount());
    }

    /** True once every chunk is acknowledged (at once for an empty file); the file still waits for its commit. */
    public boolean allAcked() {
        return acked.count() == version.chunkCount();
    }

    /** The attempt number of the latest failure; 0 if none. */
    public int attempts() {
        return lastFailure == null ? 0 : lastFailure.attempt();
    }

    public boolean isParked() {
        return parked != null;
    }

    FileProgress withAcked(int from, int toExclusive) {
        ChunkRanges more = acked.with(from, toExclusive);
        return more == acked ? this : new FileProgress(fileId, path, version, more, lastFailure, parked);
    }

    FileProgress withFailure(Failure failure) {
        return new FileProgress(fileId, path, version, acked, failure, parked);
    }

    FileProgress withParked(Parked p) {
        return new FileProgress(fileId, path, version, acked, lastFailure, p);
    }
}
