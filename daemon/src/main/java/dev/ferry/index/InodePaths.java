package dev.ferry.index;

/**
 * The inode lookup of a {@link SourceIndex}: inode to the path last put with it, in two flat arrays (open
 * addressing, linear probing) instead of a {@code HashMap<Long, String>}: no {@code Long} and no node per entry,
 * about 12 bytes a slot instead of ~60 bytes an entry, ~4 MB of the heap at 100,000 files. Inode 0 (a file system
 * without inodes) is never stored: the empty slot's key. Removal shifts the probe run back (no tombstones).
 *
 * <p>Not thread-safe: the index's owner.
 */
final class InodePaths {
    private static final int MIN_CAPACITY = 16;

    private long[] keys = new long[MIN_CAPACITY];
    private String[] paths = new String[MIN_CAPACITY];
    private int size;

    /** The path put with {@code inode}; null if none (or inode 0). */
    String get(long inode) {
        if (inode == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = slot(inode, mask); keys[i] != 0; i = (i + 1) & mask) {
            if (keys[i] == inode) {
                return paths[i];
            }
        }
        return null;
    }

    /** Puts {@code inode -> path}, replacing what was there. */
    void put(long inode, String path) {
        if (inode == 0) {
            throw new IllegalArgumentException("inode 0 is not stored (path " + path + ")");
        }
        if ((size + 1) * 4L > keys.length * 3L) { // load at most 3/4
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = slot(inode, mask);
        while (keys[i] != 0) {
            if (keys[i] == inode) {
                paths[i] = path;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = inode;
        paths[i] = path;
        size++;
    }

    /** Removes {@code inode} if it maps to {@code path} (another hard link put since keeps it). */
    void remove(long inode, String path) {
        if (inode == 0) {
            return;
        }
        int mask = keys.length - 1;
        int i = slot(inode, mask);
        while (keys[i] != inode) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        if (!paths[i].equals(path)) {
            return;
        }
        // backward shift: move each later member of the probe run whose home is not between the hole and itself
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                paths[hole] = paths[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        paths[hole] = null;
        size--;
    }

    int size() {
        return size;
    }

    private void resize(int capacity) {
        long[] oldKeys = keys;
        String[] oldPaths = paths;
        keys = new long[capacity];
        paths = new String[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldPaths[i]);
            }
        }
    }

    /** The home slot: the inode's bits mixed (inodes are often consecutive), masked to the table. */
    private static int slot(long inode, int mask) {
        long h = inode * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
