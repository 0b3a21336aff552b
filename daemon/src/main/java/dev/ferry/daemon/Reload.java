package dev.ferry.daemon;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.receive.Receiver;
import dev.ferry.time.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One reload: applies the {@link ConfigChange} between what runs and a config that has just loaded. In order: the
 * removed and changed pairs stop (within the running {@code shutdown-timeout}; their journals are synced, so a
 * changed pair resumes where it was), the receiver is stopped, started or restarted, then the added and changed
 * pairs start, in file order. Unchanged pairs are not touched: their transfers go on.
 *
 * <p>The file has already loaded and been checked, so what can still fail is a start (an address in use, a source
 * that vanished since). Such a part is left out and named in the outcome; the others go on, and a receiver whose new
 * settings do not start gets its previous ones back. The running config then says what really runs, so the next
 * reload tries the missing part again.
 *
 * <p>Runs on the daemon's thread (the one that reloads), once.
 */
final class Reload {
    /** What runs after the reload, the line that says what changed, and how many parts did not start. */
    record Outcome(RunningParts running, String summary, int failures) {
    }

    private final Parts parts;
    private final RunningParts before;
    private final List<String> problems = new ArrayList<>();

    Reload(Parts parts, RunningParts before) {
        this.parts = parts;
        this.before = before;
    }

    Outcome apply(FerryConfig loaded) {
        TokenPrints tokens = TokenPrints.of(loaded); // before any part reads them, as at the start
        ConfigChange change = ConfigChange.between(before.config(), loaded, before.tokens().rotatedIn(tokens));
        Map<SyncConfig, SyncPair> running = new HashMap<>();
        before.pairs().forEach(p -> running.put(p.config(), p));

        Deadline stopBy = parts.clock().deadlineIn(before.config().shutdownTimeout());
        List<SyncPair> stopping = Stream.concat(change.removed().stream(),
                change.changed().stream().map(ConfigChange.Replaced::before)).map(running::get).toList();
        RuntimeException stopFailure = parts.stop(null, stopping, stopBy);
        if (stopFailure != null) {
            problems.add("stopping a pair: " + stopFailure);
        }

        Receiver receiver = before.receiver();
        Optional<ReceiveConfig> receiving = before.config().receive();
        switch (change.receiver()) {
            case ConfigChange.ReceiverChange.Unchanged _ -> {
            }
            case ConfigChange.ReceiverChange.Stopped _ -> {
                receiver.close(stopBy);
                receiver = null;
                receiving = Optional.empty();
            }
            case ConfigChange.ReceiverChange.Started s -> {
                receiver = startReceiver(s.after(), "");
                receiving = receiver == null ? Optional.empty() : Optional.of(s.after());
            }
            case ConfigChange.ReceiverChange.Restarted r -> {
                receiver.close(stopBy);
                receiver = startReceiver(r.after(), "");
                receiving = Optional.of(r.after());
                if (receiver == null) {
                    receiver = startReceiver(r.before(), " again with its previous settings");
                    receiving = receiver == null ? Optional.empty() : Optional.of(r.before());
                }
            }
        }

        Set<SyncConfig> keep = Set.copyOf(change.unchanged());
        List<SyncPair> pairs = new ArrayList<>();
        List<SyncConfig> syncs = new ArrayList<>();
        boolean stateDirReady = keep.size() == loaded.sync().size() || stateDir(loaded, keep);
        for (SyncConfig sc : loaded.sync()) {
            if (keep.contains(sc)) {
                pairs.add(running.get(sc));
                syncs.add(sc);
            } else if (stateDirReady && startPair(sc, loaded, pairs)) {
                syncs.add(sc);
            }
        }
        String summary = change.summary() + (problems.isEmpty() ? ""
                : "; FAILED: " + String.join("; ", problems) + " (what failed is not running; fix it and reload again)");
        return new Outcome(new RunningParts(loaded.with(receiving, syncs), tokens, receiver, pairs), summary,
                problems.size());
    }

    /** The new state dir, made if needed; false (and a problem noted) if it cannot be. */
    private boolean stateDir(FerryConfig loaded, Set<SyncConfig> keep) {
        try {
            Files.createDirectories(loaded.stateDir());
            return true;
        } catch (IOException e) {
            problems.add("state-dir " + loaded.stateDir() + " cannot be created (" + e + "): the new and changed pairs"
                    + " did not start: " + loaded.sync().stream().filter(sc -> !keep.contains(sc)).map(sc -> sc.source().toString())
                    .collect(Collectors.joining(", ")));
            return false;
        }
    }

    private Receiver startReceiver(ReceiveConfig config, String how) {
        try {
            return parts.receiver(config);
        } catch (IOException | RuntimeException e) {
            problems.add("the receiver on " + config.listen() + " did not start" + how + ": " + e.getMessage());
            return null;
        }
    }

    /** Starts the pair of {@code sc} and adds it to {@code pairs}; if it fails, stops what of it had started. */
    private boolean startPair(SyncConfig sc, FerryConfig loaded, List<SyncPair> pairs) {
        List<SyncPair> started = new ArrayList<>();
        try {
            pairs.add(parts.pair(sc, loaded.stateDir(), started));
            return true;
        } catch (IOException | RuntimeException e) {
            parts.stop(null, started, parts.clock().deadlineIn(loaded.shutdownTimeout()));
            problems.add("pair " + sc.source() + " did not start: " + e.getMessage());
            return false;
        }
    }
}
