package dev.ferry.index;

import java.util.List;

/**
 * What one {@link Scanner#scan} found.
 *
 * @param changed     paths whose entry appeared or changed (metadata, content or link target), sorted
 * @param removed     paths that were indexed and are gone, sorted (so a removed directory comes before its
 *                    indexed descendants, which are all listed too)
 * @param files       regular files now in the scanned subtree
 * @param directories directories now in the scanned subtree (the subtree itself included, the root not)
 */
public record ScanResult(List<String> changed, List<String> removed, int files, int directories) {
    public ScanResult {
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
    }

    /** True if the scan changed nothing in the index. */
    public boolean unchanged() {
        return changed.isEmpty() && removed.isEmpty();
    }
}
