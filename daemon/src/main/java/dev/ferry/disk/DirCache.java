package dev.ferry.disk;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Directory descriptors a {@link Beneath} resolved lately, by their path relative to the root, so that a burst of
 * operations on names in the same few directories (a receiver committing small files: look at the final path,
 * drop a sidecar, rename the partial file into place) resolves each directory once instead of once per call. An
 * entry is used for at most {@link #MAX_AGE_NS} after its resolution, and is forgotten at once when the owner moves
 * or removes it or anything above it ({@link #forget}), or when the owner says so ({@link #clear}). Within that
 * time, a directory that someone else renames is still found through its descriptor, where it now is; one that
 * someone else deletes fails the call with ENOENT, which the owner answers by resolving again.
 *
 * <p>Not thread-safe: the owner holds this object's monitor while it uses a descriptor from it, so that no
 * {@link #clear} from another thread closes a descriptor in use.
 */
final class DirCache {
    /** How long a resolution is trusted: a few commit groups of small files, well below anything a person sees. */
    static final long MAX_AGE_NS = 50_000_000L;
    /**
     * Directories kept at most; the least recently used goes first (access order: the one or two an owner's call
     * holds were just used, so a put for the second never closes the first).
     */
    static final int MAX_ENTRIES = 64;

    private record Kept(int fd, long resolvedAtNs) {
    }

    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Kept> byPath = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            if (size() > MAX_ENTRIES) {
                Syscalls.close(eldest.getValue().fd());
                return true;
            }
            return false;
        }
    };

    DirCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The descriptor of {@code dir} if it was resolved less than {@link #MAX_AGE_NS} ago, else -1. */
    int get(String dir) {
        Kept e = byPath.get(dir);
        if (e == null) {
            return -1;
        }
        if (nanoTime.getAsLong() - e.resolvedAtNs() >= MAX_AGE_NS) {
            byPath.remove(dir);
            Syscalls.close(e.fd());
            return -1;
        }
        return e.fd();
    }

    /** Keeps {@code fd} (now owned by this cache) as {@code dir}'s descriptor. */
    void put(String dir, int fd) {
        Kept old = byPath.put(dir, new Kept(fd, nanoTime.getAsLong()));
        if (old != null) {
            Syscalls.close(old.fd());
        }
    }

    /** Drops {@code dir} and every directory below it (the owner moved or removed it, or found it gone). */
    void forget(String dir) {
        String below = dir + "/";
        for (Iterator<Map.Entry<String, Kept>> it = byPath.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Kept> e = it.next();
            if (e.getKey().equals(dir) || e.getKey().startsWith(below)) {
                Syscalls.close(e.getValue().fd());
                it.remove();
            }
        }
    }

    /** Drops every entry. */
    void clear() {
        byPath.values().forEach(e -> Syscalls.close(e.fd()));
        byPath.clear();
    }

    int size() {
        return byPath.size();
    }
}
