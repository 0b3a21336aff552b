package dev.ferry.plan;

import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;

/**
 * rsync's quick check, the one rule both reconciles use (the daemon's {@link Reconciler}, the one-shot push's
 * {@link PushReconciler}): a target already holds a file that it lists with the source's size, mtime to the
 * nanosecond and permission bits, and a directory with the source's mtime and permission bits as the receiver makes
 * them (the owner's rwx added). Stateless.
 */
final class QuickCheck {
    private QuickCheck() {
    }

    /**
     * @param there what the target lists at the path, or null
     * @param mode  the source's mode; only its permission bits count (the receiver keeps no others)
     */
    static boolean same(Frame.ListedEntry there, EntryKind kind, long size, long mtimeSeconds, int mtimeNanos, int mode) {
        if (there == null || there.kind() != kind || there.mtimeSeconds() != mtimeSeconds || there.mtimeNanos() != mtimeNanos) {
            return false;
        }
        int rwx = mode & 0777;
        return kind == EntryKind.DIRECTORY ? there.mode() == (rwx | 0700) : there.size() == size && there.mode() == rwx;
    }
}
