package dev.ferry.plan;

import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Vanished paths held back for the rename window before they are deleted on the targets, because a move often
 * arrives as a delete and a later create: if the path's inode turns up elsewhere within the window, the
 * {@link Planner} sends one RENAME and cancels the hold. Owned by the pair, which asks when the next window closes
 * and takes the paths whose window has closed; one {@link Planner} after another adds and cancels holds. Runs on
 * the pair's thread only.
 */
public final class DeferredDeletes {
    private final FerryClock clock;
    private final Duration renameWindow;
    /** Path → the clock's nanoTime when its window closes. */
    private final Map<String, Long> dueNs = new HashMap<>();

    public DeferredDeletes(FerryClock clock, Duration renameWindow) {
        this.clock = clock;
        this.renameWindow = renameWindow;
    }

    /** Holds {@code path} back for the rename window from now; a path already held keeps its first window. */
    void hold(String path) {
        dueNs.putIfAbsent(path, clock.nanoTime() + renameWindow.toNanos());
    }

    /** The path moved: it is not to be deleted. */
    void cancel(String path) {
        dueNs.remove(path);
    }

    /** Takes out the paths whose window has closed: no move claimed them, so they are deleted now. */
    public Set<String> takeDue() {
        long now = clock.nanoTime();
        Set<String> due = new HashSet<>();
        dueNs.entrySet().removeIf(e -> {
            if (e.getValue() - now <= 0) {
                due.add(e.getKey());
                return true;
            }
            return false;
        });
        return due;
    }

    /** The clock's nanoTime when the next window closes, or {@code orElse} if no path is held. */
    public long nextDueNs(long orElse) {
        long next = orElse;
        for (long due : dueNs.values()) {
            next = Math.min(next, due);
        }
        return next;
    }
}
