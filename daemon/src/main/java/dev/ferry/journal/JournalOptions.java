package dev.ferry.journal;

import dev.ferry.logging.Human;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Journal} batches its fsyncs and when it compacts.
 *
 * @param commitInterval     longest an appended record waits for its group commit, measured on the journal's clock
 *                           from the oldest record not yet written (0: write and force as soon as the flusher is free)
 * @param commitEveryRecords a group commit starts as soon as this many records wait, whatever the interval
 * @param compactAtBytes     the active segment is rewritten from the live state once it holds this many bytes (and
 *                           at least twice what the last rewrite produced, so a large live state does not make it
 *                           compact over and over)
 * @param durable            false skips the group-commit fsync: appends are durable once written to the OS (they
 *                           survive a killed process, not a power cut). Creating and switching segments is fsynced
 *                           either way, since a torn header would stop the pair.
 * @param syncTimeout        deadline of {@link Journal#sync()} and of the final flush in {@link Journal#close()}
 */
public record JournalOptions(Duration commitInterval, int commitEveryRecords, long compactAtBytes, boolean durable,
        Duration syncTimeout) {

    /** 5 ms, 256 records, 64 MiB, durable, 30 s. */
    public static final JournalOptions DEFAULTS =
            new JournalOptions(Duration.ofMillis(5), 256, 64L << 20, true, Duration.ofSeconds(30));

    /** Smallest {@code compactAtBytes}: a segment header and a few records. */
    public static final long MIN_COMPACT_AT_BYTES = 1024;

    public JournalOptions {
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval=" + Human.duration(commitInterval) + " must not be negative");
        }
        if (commitEveryRecords < 1) {
            throw new IllegalArgumentException("commitEveryRecords=" + commitEveryRecords + " must be >= 1");
        }
        if (compactAtBytes < MIN_COMPACT_AT_BYTES) {
            throw new IllegalArgumentException("compactAtBytes=" + compactAtBytes + " must be >= "
                    + MIN_COMPACT_AT_BYTES);
        }
        if (syncTimeout.isNegative() || syncTimeout.isZero()) {
            throw new IllegalArgumentException("syncTimeout=" + Human.duration(syncTimeout) + " must be > 0");
        }
    }

    public JournalOptions withCommitInterval(Duration interval) {
        return new JournalOptions(interval, commitEveryRecords, compactAtBytes, durable, syncTimeout);
    }

    public JournalOptions withCommitEveryRecords(int records) {
        return new JournalOptions(commitInterval, records, compactAtBytes, durable, syncTimeout);
    }

    public JournalOptions withCompactAtBytes(long bytes) {
        return new JournalOptions(commitInterval, commitEveryRecords, bytes, durable, syncTimeout);
    }

    public JournalOptions withDurable(boolean fsync) {
        return new JournalOptions(commitInterval, commitEveryRecords, compactAtBytes, fsync, syncTimeout);
    }

    public JournalOptions withSyncTimeout(Duration timeout) {
        return new JournalOptions(commitInterval, commitEveryRecords, compactAtBytes, durable, timeout);
    }
}
