package dev.ferry.receive;

import dev.ferry.status.ReceiverCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of one receiver, updated by session threads and read by anyone ({@link Receiver#status()}, tests).
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
    /** DELETEs carried out (into the trash or not). */
    final AtomicLong deletes = new AtomicLong();
    final AtomicLong renames = new AtomicLong();
    /** JOINs accepted: streams that wrote into a file another connection of the same sender offered. */
    final AtomicLong streamsJoined = new AtomicLong();
    /** Chunks written by joined streams (counted in {@link #chunksReceived} too). */
    final AtomicLong chunksJoined = new AtomicLong();

    /** JOINs accepted so far. */
    public long streamsJoined() {
        return streamsJoined.get();
    }


    /** A consistent-enough copy for reporting (each counter read once). */
    public Snapshot snapshot() {
        return new Snapshot(connectionsAccepted.get(), connectionsRejected.get(), authFailures.get(), protocolErrors.get(),
                chunksReceived.get(), chunkBytesWritten.get(), chunksReused.get(), chunksResumed.get(), crcMismatches.get(),
                hashMismatches.get(), filesCommitted.get(), filesUnchanged.get(), filesFailed.get(), pathsRefused.get(),
                deletes.get(), renames.get(), chunksJoined.get());
    }

    /** The same, as the status model has it. */
    public ReceiverCounters counters() {
        Snapshot s = snapshot();
        return new ReceiverCounters(s.connectionsAccepted(), s.connectionsRejected(), s.authFailures(), s.protocolErrors(),
                s.chunksReceived(), s.chunkBytesWritten(), s.chunksReused(), s.chunksResumed(), s.crcMismatches(),
                s.hashMismatches(), s.filesCommitted(), s.filesUnchanged(), s.filesFailed(), s.pathsRefused(), s.deletes(),
                s.renames(), s.chunksJoined());
    }

    public record Snapshot(long connectionsAccepted, long connectionsRejected, long authFailures, long protocolErrors,
                           long chunksReceived, long chunkBytesWritten, long chunksReused, long chunksResumed, long crcMismatches,
                           long hashMismatches, long filesCommitted, long filesUnchanged, long filesFailed,
                           long pathsRefused, long deletes, long renames, long chunksJoined) {
    }
}
