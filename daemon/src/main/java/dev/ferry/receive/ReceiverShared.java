package dev.ferry.receive;

import dev.ferry.time.FerryClock;

/**
 * What every session of one receiver shares: its settings, counters, the locks on final paths, the tidier of
 * {@code .ferry/}, the clock, the peers failing authentication, the limits on what a peer may make it hold and the
 * budget of chunk hashes held for files in flight, each folder's index of the chunks it holds, and the files in flight
 * open to joined streams. Each part is thread-safe.
 */
record ReceiverShared(ReceiverSettings settings, ReceiverStats stats, PathLocks locks, StateTidier tidier, FerryClock clock,
                      AuthFailures authFailures, PeerLimits peerLimits, HashBudget hashBudget, ChunkIndexes chunkIndexes,
                      SharedFiles sharedFiles) {
}
