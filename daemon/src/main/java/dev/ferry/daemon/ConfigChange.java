package dev.ferry.daemon;

import dev.ferry.config.Durations;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a reload changes: the config a daemon runs against the one just read from its file. A sync entry the new file
 * repeats exactly (same state dir, same token file contents) is unchanged and keeps running untouched; one with the
 * same source but anything else different is changed (stopped, then started again: its journal resumes what was on
 * its way); the others are added or removed. Any difference in the {@code receive} section, or in the contents of
 * its token file, restarts the receiver (connections in progress are dropped and resumed by their senders).
 *
 * <p>A value computed on the reloading thread; no state of its own.
 *
 * @param added           entries to start
 * @param removed         entries to stop
 * @param changed         entries to stop and start again with their new settings
 * @param unchanged       entries that keep running
 * @param receiver        what happens to the receiver
 * @param shutdownTimeout the new {@code shutdown-timeout}, when it differs
 */
record ConfigChange(List<SyncConfig> added, List<SyncConfig> removed, List<Replaced> changed, List<SyncConfig> unchanged,
                    ReceiverChange receiver, Optional<Duration> shutdownTimeout) {

    /** One sync entry before and after, with the YAML keys that differ. */
    record Replaced(SyncConfig before, SyncConfig after, List<String> keys) {
    }

    /** What a reload does to the receiver. */
    sealed interface ReceiverChange {
        /** Nothing to do: the same section (or none, before and after). */
        record Unchanged() implements ReceiverChange {
        }

        record Started(ReceiveConfig after) implements ReceiverChange {
        }

        record Stopped(ReceiveConfig before) implements ReceiverChange {
        }

        /** {@code keys}: the YAML keys that differ, {@code token} when only the token file's contents did. */
        record Restarted(ReceiveConfig before, ReceiveConfig after, List<String> keys) implements ReceiverChange {
        }
    }

    ConfigChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    }

    /**
     * @param rotatedTokens token files whose contents differ from what the running parts read at their start
     */
    static ConfigChange between(FerryConfig running, FerryConfig loaded, Set<Path> rotatedTokens) {
        boolean sameStateDir = running.stateDir().equals(loaded.stateDir());
        List<SyncConfig> left = new ArrayList<>(running.sync());
        List<SyncConfig> unchanged = new ArrayList<>();
        List<SyncConfig> rest = new ArrayList<>();
        for (SyncConfig sc : loaded.sync()) {
            if (sameStateDir && !rotated(rotatedTokens, sc.tokenFile()) && left.remove(sc)) {
                unchanged.add(sc);
            } else {
                rest.add(sc);
            }
        }
        List<SyncConfig> added = new ArrayList<>();
        List<Replaced> changed = new ArrayList<>();
        for (SyncConfig sc : rest) {
            SyncConfig before = left.stream().filter(old -> old.source().equals(sc.source())).findFirst().orElse(null);
            if (before == null) {
                added.add(sc);
                continue;
            }
            left.remove(before);
            List<String> keys = new ArrayList<>(differingKeys(before, sc));
            if (!sameStateDir) {
                keys.add("state-dir");
            }
            if (rotated(rotatedTokens, sc.tokenFile()) && !keys.contains("token-file")) {
                keys.add("token");
            }
            changed.add(new Replaced(before, sc, keys));
        }
        Duration timeout = loaded.shutdownTimeout();
        return new ConfigChange(added, left, changed, unchanged, receiverChange(running.receive(), loaded.receive(),
                rotatedTokens), timeout.equals(running.shutdownTimeout()) ? Optional.empty() : Optional.of(timeout));
    }

    private static ReceiverChange receiverChange(Optional<ReceiveConfig> before, Optional<ReceiveConfig> after,
                                                 Set<Path> rotatedTokens) {
        if (before.isEmpty()) {
            return after.<ReceiverChange>map(ReceiverChange.Started::new).orElseGet(ReceiverChange.Unchanged::new);
        }
        if (after.isEmpty()) {
            return new ReceiverChange.Stopped(before.get());
        }
        List<String> keys = new ArrayList<>(differingKeys(before.get(), after.get()));
        boolean folderTokenRotated = after.get().folderTokens().values().stream().anyMatch(rotatedTokens::contains);
        if ((rotated(rotatedTokens, after.get().tokenFile()) || folderTokenRotated) && !keys.contains("token-file")) {
            keys.add("token");
        }
        return keys.isEmpty() ? new ReceiverChange.Unchanged()
                : new ReceiverChange.Restarted(before.get(), after.get(), keys);
    }

    /** (A part without a token file has none to rotate.) */
    private static boolean rotated(Set<Path> rotatedTokens, Path tokenFile) {
        return tokenFile != null && rotatedTokens.contains(tokenFile);
    }

    boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && shutdownTimeout.isEmpty()
                && receiver instanceof ReceiverChange.Unchanged;
    }

    /**
     * The reload's one log line: {@code pairs added=[/a] removed=[] restarted=[/b (targets)] unchanged=2;
     * receiver restarted (folders +docs); shutdown-timeout=20s}, or {@code nothing changed}.
     */
    String summary() {
        if (isEmpty()) {
            return "nothing changed";
        }
        StringBuilder s = new StringBuilder("pairs added=").append(sources(added))
                .append(" removed=").append(sources(removed))
                .append(" restarted=").append(changed.stream()
                        .map(r -> r.after().source() + " (" + String.join(", ", r.keys()) + ")")
                        .collect(Collectors.joining(", ", "[", "]")))
                .append(" unchanged=").append(unchanged.size())
                .append("; receiver ").append(switch (receiver) {
                    case ReceiverChange.Unchanged _ -> "unchanged";
                    case ReceiverChange.Started st -> "started on " + st.after().listen();
                    case ReceiverChange.Stopped _ -> "stopped";
                    case ReceiverChange.Restarted r -> "restarted (" + restartReasons(r) + ")";
                });
        shutdownTimeout.ifPresent(t -> s.append("; shutdown-timeout=").append(Durations.format(t)));
        return s.toString();
    }

    private static String sources(List<SyncConfig> syncs) {
        return syncs.stream().map(sc -> sc.source().toString()).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The keys that differ, the folders ones spelt out as {@code folders +new -gone ~moved}. */
    private static String restartReasons(ReceiverChange.Restarted r) {
        List<String> reasons = new ArrayList<>();
        for (String key : r.keys()) {
            if (!key.equals("folders")) {
                reasons.add(key);
                continue;
            }
            List<String> folders = new ArrayList<>();
            r.after().folders().forEach((name, dir) -> {
                Path was = r.before().folders().get(name);
                if (was == null) {
                    folders.add("+" + name);
                } else if (!was.equals(dir)) {
                    folders.add("~" + name);
                }
            });
            r.before().folders().keySet().stream().filter(name -> !r.after().folders().containsKey(name))
                    .forEach(name -> folders.add("-" + name));
            reasons.add("folders " + String.join(" ", folders));
        }
        return String.join(", ", reasons);
    }

    /**
     * The YAML keys whose values differ between two records of one kind, in the record's order: each component
     * {@code fooBar} is the key {@code foo-bar} (the config's naming rule), so a key added later is compared too.
     */
    static <R extends Record> List<String> differingKeys(R before, R after) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent c : before.getClass().getRecordComponents()) {
            try {
                if (!Objects.equals(c.getAccessor().invoke(before), c.getAccessor().invoke(after))) {
                    keys.add(c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c + " of a config record", e);
            }
        }
        return keys;
    }
}
