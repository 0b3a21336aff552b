package dev.ferry.daemon;

import dev.ferry.config.FerryConfig;
import dev.ferry.receive.Receiver;
import java.util.List;

/**
 * What a daemon runs now: the config as far as its parts started, the token files' prints they started with, and the
 * parts (the receiver, null if none, and the pairs). Immutable; {@link Daemon} holds the current one and a
 * {@link Reload} makes the next.
 */
record RunningParts(FerryConfig config, TokenPrints tokens, Receiver receiver, List<SyncPair> pairs) {
    RunningParts {
        pairs = List.copyOf(pairs);
    }
}
