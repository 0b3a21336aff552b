package dev.ferry.daemon;

import dev.ferry.auth.Identity;
import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Token;
import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushSettings;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.time.Duration;

/**
 * How a pair behaves in time.
 *
 * @param debounce    how long a path must stay quiet before it is sent (bursts on one file merge into one send)
 * @param renameWindow how long a vanished path waits for its inode to reappear elsewhere (then it is a move, sent as
 *                    RENAME) before it is deleted on the targets
 * @param rescanEvery full rescan of the source as a safety net
 * @param retryDelay  before a file that failed on a target is tried again
 * @param backoffMax  longest wait between attempts to reach a target that is down
 * @param watch       watch the source (false only in tests of the rescan path)
 * @param firstWalkProbe told of each batch of the first walk (tests)
 * @param afterFirstSync run on the pair's thread once every target has had its first sync: by default a full
 *                    collection ({@link System#gc()}). The start (walk, index, the targets' listings) grows the
 *                    heap to about twice what stays live, and the serial collector gives memory back only at a full
 *                    collection, which an idle daemon otherwise never makes.
 */
record PairOptions(Duration debounce, Duration renameWindow, Duration rescanEvery, Duration retryDelay, Duration backoffMin,
                   Duration backoffMax, boolean watch, FirstWalkProbe firstWalkProbe, Runnable afterFirstSync) {
    static PairOptions defaults() {
        return new PairOptions(SyncConfig.DEFAULT_DEBOUNCE, Duration.ofSeconds(2), SyncConfig.DEFAULT_RESCAN_INTERVAL, Duration.ofSeconds(1),
                Duration.ofMillis(250), Duration.ofSeconds(30), true, FirstWalkProbe.NONE, System::gc);
    }

    /** These options with a pair's own {@code debounce} and {@code rescan-interval} from its config. */
    PairOptions with(Duration newDebounce, Duration newRescanEvery) {
        return new PairOptions(newDebounce, renameWindow, newRescanEvery, retryDelay, backoffMin, backoffMax, watch,
                firstWalkProbe, afterFirstSync);
    }

    /** For tests of the rescan path: no watcher, changes are found only by rescans. */
    PairOptions withoutWatcher() {
        return new PairOptions(debounce, renameWindow, rescanEvery, retryDelay, backoffMin, backoffMax, false,
                firstWalkProbe, afterFirstSync);
    }

    /** For tests: failed files come back sooner. */
    PairOptions withRetryDelay(Duration d) {
        return new PairOptions(debounce, renameWindow, rescanEvery, d, backoffMin, backoffMax, watch,
                firstWalkProbe, afterFirstSync);
    }

    /** For tests: {@code probe} looks into the first walk. */
    PairOptions withFirstWalkProbe(FirstWalkProbe probe) {
        return new PairOptions(debounce, renameWindow, rescanEvery, retryDelay, backoffMin, backoffMax, watch, probe,
                afterFirstSync);
    }

    /** For tests: {@code action} in place of the full collection after the first sync. */
    PairOptions withAfterFirstSync(Runnable action) {
        return new PairOptions(debounce, renameWindow, rescanEvery, retryDelay, backoffMin, backoffMax, watch,
                firstWalkProbe, action);
    }

    /** The daemon's one place a {@link SyncConfig} becomes {@link PushSettings}: every configurable value comes from it. */
    PushSettings pushSettings(FerryUri uri, SyncConfig config, FerryClock clock) throws IOException {
        Token token = config.tokenFile() == null ? null : Token.read(config.tokenFile());
        PushSettings settings = config.identity().isEmpty()
                ? PushSettings.of(uri.host(), uri.port(), uri.folder(), token, config.chunkSize(), config.readTimeout(),
                        config.chunkAttempts(), config.keepAlive())
                : PushSettings.of(uri.host(), uri.port(), uri.folder(), token,
                        new SenderPin(Identity.load(config.identity().get()), uri.id().orElseThrow()), config.chunkSize(),
                        config.readTimeout(), config.chunkAttempts(), config.keepAlive());
        // one LinkShaping per target: its bandwidth limit holds for all the target's connections together
        return settings.withInlineUpTo(PushSettings.SMALL_FILE_BYTES) // the planner sends only what the target lacks
                .withShaping(LinkShaping.of(config.compress(), config.bwlimit(), clock));
    }
}
