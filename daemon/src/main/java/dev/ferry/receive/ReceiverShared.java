package dev.ferry.receive;

import dev.ferry.time.FerryClock;

/**
 * What every session of one receiver shares: its settings, counters, the locks on final paths, the tidier of
 * {@code .ferry/}, the clock and the peers failing authentication. Each part is thread-safe.
 */
record ReceiverShared(ReceiverSettings settings, ReceiverStats stats, PathLocks locks, StateTidier tidier, FerryClock clock,
                      AuthFailures authFailures) {
}
