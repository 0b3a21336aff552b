package dev.ferry.status;

import java.util.List;

/**
 * One source folder and its targets.
 *
 * @param source             the source folder (real path), the pair's name
 * @param watchedDirectories directories with an inotify watch now
 * @param guardReason        why the source guard holds the pair back (it looks unmounted or emptied), or null
 * @param targets            in config order
 */
public record PairStatus(String source, int watchedDirectories, String guardReason, List<TargetStatus> targets) {
    public PairStatus {
        targets = List.copyOf(targets);
    }

    /** Whether the source guard holds this pair back. */
    public boolean guarded() {
        return guardReason != null;
    }
}
