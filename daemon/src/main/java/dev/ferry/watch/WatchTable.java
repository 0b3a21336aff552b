package dev.ferry.watch;

import dev.ferry.path.RelativePath;
import java.nio.file.WatchKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which directory each watch key stands for, and which directories could not be watched.
 *
 * <p>Events are named from this table, not from {@link WatchKey#watchable()}: inotify watches an inode, so on Linux a
 * directory that moves keeps its key, and registering it again under its new name returns that same key, whose
 * {@code watchable()} still names the old place. {@link #watch} re-points such a key at its new name.
 *
 * <p>Owned by one thread: the caller of {@link TreeWatcher#start} until the watcher thread starts, then that thread.
 */
final class WatchTable {
    /** A registered directory and the file key (inode) it had when registered, to notice a replaced directory. */
    record Watched(WatchKey key, Object fileKey) {
    }

    private final NavigableMap<String, Watched> dirs = new TreeMap<>();
    private final Map<WatchKey, String> paths = new HashMap<>();
    private final NavigableSet<String> unwatched = new TreeSet<>();
    private boolean changed = true;

    /** Whether {@code dir} is watched by a valid key registered for the same directory (same file key). */
    boolean isWatched(String dir, Object fileKey) {
        Watched w = dirs.get(dir);
        return w != null && w.key().isValid() && Objects.equals(w.fileKey(), fileKey);
    }

    /** Records that {@code key} now watches {@code dir}; the directory is no longer unwatched. */
    void watch(String dir, WatchKey key, Object fileKey) {
        unwatched.remove(dir);
        String before = paths.put(key, dir);
        if (before != null && !before.equals(dir)) {
            // the same directory (inode) moved here: its old name no longer stands for it
            Watched old = dirs.get(before);
            if (old != null && old.key() == key) {
                dirs.remove(before);
            }
        }
        Watched replaced = dirs.put(dir, new Watched(key, fileKey));
        if (replaced != null && replaced.key() != key && dir.equals(paths.get(replaced.key()))) {
            paths.remove(replaced.key());
            replaced.key().cancel();
        }
        changed = true;
    }

    /** Records that {@code dir} could not be watched and must be polled. */
    void unwatched(String dir) {
        Watched w = dirs.remove(dir);
        if (w != null && dir.equals(paths.get(w.key()))) {
            paths.remove(w.key());
            w.key().cancel();
        }
        changed |= unwatched.add(dir);
    }

    /** The directory {@code key} watches, or null if the key is not (or no longer) ours. */
    String pathOf(WatchKey key) {
        return paths.get(key);
    }

    /** Forgets {@code dir} and everything below it: cancels their keys and stops polling them. */
    void forget(String dir) {
        for (String d : atOrUnder(dirs.navigableKeySet(), dir)) {
            Watched w = dirs.remove(d);
            if (d.equals(paths.get(w.key()))) {
                paths.remove(w.key());
            }
            w.key().cancel();
            changed = true;
        }
        clearUnwatched(dir);
    }

    /** Stops polling the unwatched directories at or below {@code dir} (before registering them again). */
    void clearUnwatched(String dir) {
        List<String> polled = atOrUnder(unwatched, dir);
        changed |= unwatched.removeAll(polled);
    }

    /** Forgets every directory, watched or not, that is not in {@code present}. */
    void retainOnly(Set<String> present) {
        for (String d : List.copyOf(dirs.keySet())) {
            if (!present.contains(d)) {
                forget(d);
            }
        }
        changed |= unwatched.retainAll(present);
    }

    /** Cancels every key and forgets everything. */
    void clear() {
        forget("");
    }

    int watchedCount() {
        return dirs.size();
    }

    boolean hasUnwatched() {
        return !unwatched.isEmpty();
    }

    int unwatchedCount() {
        return unwatched.size();
    }

    SortedSet<String> unwatched() {
        return Collections.unmodifiableSortedSet(unwatched);
    }

    /** The unwatched directories that have no unwatched ancestor: a rescan of these covers all the others. */
    List<String> topMostUnwatched() {
        List<String> tops = new ArrayList<>();
        for (String d : unwatched) {
            if (!hasUnwatchedAncestor(d)) {
                tops.add(d);
            }
        }
        return tops;
    }

    /** Checks each ancestor by name: sorted order alone would not do, as "a b" sorts between "a" and "a/b". */
    private boolean hasUnwatchedAncestor(String dir) {
        if (dir.isEmpty()) {
            return false;
        }
        if (unwatched.contains("")) {
            return true;
        }
        for (String ancestor : RelativePath.ancestors(dir)) {
            if (unwatched.contains(ancestor)) {
                return true;
            }
        }
        return false;
    }

    /** Whether anything changed since the last call (so that readers on other threads need a new snapshot). */
    boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }

    /** A copy of the entries of {@code sorted} that are {@code dir} or below it. */
    private static List<String> atOrUnder(NavigableSet<String> sorted, String dir) {
        List<String> found = new ArrayList<>();
        if (sorted.contains(dir)) {
            found.add(dir);
        }
        found.addAll(RelativePath.below(sorted, dir));
        return found;
    }
}
