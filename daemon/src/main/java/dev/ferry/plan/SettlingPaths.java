package dev.ferry.plan;

import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The debounce: changed paths wait until they have been quiet for {@code debounce} (a burst of writes to one file
 * becomes one send), and subtrees to rescan wait one debounce too, so that the rescan sees the burst that caused it
 * settled. Fed by the pair from its watcher's changes; the pair takes what has settled and plans it. Runs on the
 * pair's thread only.
 */
public final class SettlingPaths {
    private final FerryClock clock;
    private final Duration debounce;
    /** Path → the clock's nanoTime when it has been quiet long enough. */
    private final Map<String, Long> dueNs = new HashMap<>();
    private final TreeSet<String> rescans = new TreeSet<>();

    public SettlingPaths(FerryClock clock, Duration debounce) {
        this.clock = clock;
        this.debounce = debounce;
    }

    /** {@code path} changed: it settles one debounce from now (a later change pushes that back). */
    public void changed(String path) {
        dueNs.put(path, clock.nanoTime() + debounce.toNanos());
    }

    /** The subtree under {@code path} ("" = the whole source) is to be scanned again. */
    public void rescan(String path) {
        rescans.add(path);
    }

    /** Takes out the paths that have settled, sorted. */
    public TreeSet<String> takeSettled() {
        long now = clock.nanoTime();
        TreeSet<String> settled = new TreeSet<>();
        dueNs.entrySet().removeIf(e -> {
            if (e.getValue() - now <= 0) {
                settled.add(e.getKey());
                return true;
            }
            return false;
        });
        return settled;
    }

    /** Takes out the subtrees to rescan, sorted (a parent before its children). */
    public List<String> takeRescans() {
        List<String> roots = List.copyOf(rescans);
        rescans.clear();
        return roots;
    }

    public boolean hasRescans() {
        return !rescans.isEmpty();
    }

    /** Forgets everything waiting (after a failure, a full rescan replaces it). */
    public void clear() {
        dueNs.clear();
        rescans.clear();
    }

    /** The clock's nanoTime when the next path settles or a pending rescan is due, or {@code orElse} if none. */
    public long nextDueNs(long orElse) {
        long next = orElse;
        for (long due : dueNs.values()) {
            next = Math.min(next, due);
        }
        if (!rescans.isEmpty()) {
            next = Math.min(next, clock.nanoTime() + debounce.toNanos());
        }
        return next;
    }
}
