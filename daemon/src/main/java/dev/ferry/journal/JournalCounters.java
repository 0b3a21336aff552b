package dev.ferry.journal;

/**
 * What a {@link Journal} did since it was opened, for metrics and tests.
 *
 * @param recordsAppended     records accepted by the append methods (not those ignored as stale, not replayed ones)
 * @param staleRecordsIgnored appends naming a file or tree op that is no longer live (committed, dropped,
 *                            superseded, done): not written, see {@link Journal}
 * @param bytesWritten        bytes written to segment files: records, headers, compacted segments
 * @param fsyncs              forces of the active segment that made a batch of appends durable (one per group
 *                            commit); the forces inside open and compaction that create or switch segments are not
 *                            counted. Zero when {@link JournalOptions#durable()} is false.
 * @param compactions         segments rewritten from the live state
 * @param tornTailsCut        1 if open found a torn or damaged tail and cut it, else 0
 */
public record JournalCounters(long recordsAppended, long staleRecordsIgnored, long bytesWritten, long fsyncs,
        long compactions, long tornTailsCut) {
}
