package dev.ferry.status;

/**
 * A receiver's totals since it started (monotonic).
 *
 * @param connectionsAccepted connections given a session
 * @param connectionsRejected connections refused at the connection limit
 * @param authFailures        handshakes refused for their credentials
 * @param protocolErrors      sessions ended by a malformed or unexpected frame
 * @param chunksReceived      chunks written to partial files
 * @param bytesReceived       chunk bytes written
 * @param chunksReused        chunks copied from a file the receiver already held instead of sent
 * @param chunksResumed       chunks found verified in a partial file an earlier attempt left
 * @param crcMismatches       chunks refused for a bad CRC32C
 * @param hashMismatches      chunks or files refused for a bad hash
 * @param filesCommitted      files committed at their final path
 * @param filesUnchanged      offers of files already held identical
 * @param filesFailed         files that ended with an error
 * @param pathsRefused        paths refused as unsafe (outside the folder, reserved names)
 * @param deletes             deletes carried out
 * @param renames             renames carried out
 * @param chunksJoined        of {@code chunksReceived}, chunks that came on a joined stream (parallel streams)
 */
public record ReceiverCounters(long connectionsAccepted, long connectionsRejected, long authFailures, long protocolErrors,
                               long chunksReceived, long bytesReceived, long chunksReused, long chunksResumed,
                               long crcMismatches, long hashMismatches, long filesCommitted, long filesUnchanged,
                               long filesFailed, long pathsRefused, long deletes, long renames, long chunksJoined) {
}
