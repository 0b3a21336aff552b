package dev.ferry.receive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one receiver, updated by session threads and read by anyone (tests now, metrics later).
 */
public final class ReceiverStats {
    final AtomicLong connectionsAccepted = new AtomicLong();
    final AtomicLong connectionsRejected = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    final AtomicLong protocolErrors = new AtomicLong();
    final AtomicLong chunksReceived = new AtomicLong();
    final AtomicLong chunkBytesWritten = new AtomicLong();
    final AtomicLong chunksReused = new AtomicLong();
    /** Chunks found verified in the partial file an interrupted earlier attempt left. */
    final AtomicLong chunksResumed = new AtomicLong();
    final AtomicLong crcMismatches = new AtomicLong();
    final AtomicLong hashMismatches = new AtomicLong();
    final AtomicLong filesCommitted = new AtomicLong();
    final AtomicLong filesUnchanged = new AtomicLong();
    final AtomicLong filesFailed = new AtomicLong();
    final AtomicLong pathsRefused = new AtomicLong();

    /** A consistent-enough copy for reporting (each counter read once). */
    public Snapshot snapshot() {
        return new Snapshot(connectionsAccepted.get(), connectionsRejected.get(), authFailures.get(), protocolErrors.get(),
                chunksReceived.get(), chunkBytesWritten.get(), chunksReused.get(), chunksResumed.get(), crcMismatches.get(),
                hashMismatches.get(), filesCommitted.get(), filesUnchanged.get(), filesFailed.get(), pathsRefused.get());
    }

    public record Snapshot(long connectionsAccepted, long connectionsRejected, long authFailures, long protocolErrors,
                           long chunksReceived, long chunkBytesWritten, long chunksReused, long chunksResumed, long crcMismatches,
                           long hashMismatches, long filesCommitted, long filesUnchanged, long filesFailed,
                           long pathsRefused) {
    }
}
