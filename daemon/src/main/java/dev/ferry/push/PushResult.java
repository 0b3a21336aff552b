package dev.ferry.push;

import java.time.Duration;
import java.util.List;

/**
 * What a push did. {@link #ok()} only when every file and directory is committed and verified.
 *
 * @param filesSent      files that needed at least one chunk and are committed
 * @param filesUnchanged files the receiver already held identical (NEED was empty)
 * @param chunksSent     CHUNK frames written, re-sends included
 * @param chunksResent   of those, re-sends after a NACK
 * @param bytesSent      chunk data bytes written, re-sends included (raw: as the files hold them)
 * @param wireBytes      the same chunks' data as it crossed the wire: fewer than {@code bytesSent} where chunks went
 *                       compressed, equal without compression (frame headers are in neither)
 * @param treeOps        deletes, renames and symlinks done
 * @param symlinks       of those, symlinks made
 * @param symlinksUnchanged symlinks the receiver already held as they are (not sent)
 * @param deleted        of those, deletes of what the source no longer has (a directory tree counts once)
 * @param replaced       of those, deletes that cleared a path for an entry of another kind
 * @param skipped        special files not pushed
 * @param excluded       source paths left out by the plan's exclude patterns (a directory counts once)
 */
public record PushResult(int filesSent, int filesUnchanged, int directories, int treeOps, int symlinks,
                         int symlinksUnchanged, int deleted,
                         int replaced, long chunksSent, long chunksResent, long bytesSent, long wireBytes,
                         List<Failure> failures, List<String> skipped, int excluded, Duration elapsed) {
    public PushResult {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    /** A file or directory that did not arrive, and why (the receiver's message or the local error). */
    public record Failure(String path, String reason) {
    }
}
