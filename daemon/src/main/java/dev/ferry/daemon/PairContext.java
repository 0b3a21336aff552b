package dev.ferry.daemon;

import dev.ferry.time.FerryClock;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a pair's targets need to know of their pair, handed to them as values at construction (so that a target
 * never holds its pair): its name for logs, its source root for resends, its options and journal commit policy,
 * and the clock.
 *
 * @param name          the pair's name in log lines (its source root)
 * @param root          the source root, real path
 * @param journalCommit how often a target's journal is forced to disk
 * @param changeTimes   when the pair saw each file change, for the targets to time their commits
 */
record PairContext(String name, Path root, PairOptions options, Duration journalCommit, FerryClock clock,
                   ChangeTimes changeTimes) {
}
