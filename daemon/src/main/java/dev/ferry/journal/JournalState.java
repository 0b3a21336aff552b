package dev.ferry.journal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of a journal's live state: every unfinished file and every tree operation not yet answered,
 * each sorted by id, and the next id the journal will hand out. Taken by {@link Journal#state()}; it includes
 * appends that are not durable yet.
 */
public record JournalState(List<FileProgress> files, List<PendingTreeOp> treeOps, long nextId) {
    public JournalState {
        files = List.copyOf(files);
        treeOps = List.copyOf(treeOps);
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i - 1).fileId() >= files.get(i).fileId()) {
                throw new IllegalArgumentException("files must be sorted by fileId, unique");
            }
        }
        for (int i = 1; i < treeOps.size(); i++) {
            if (treeOps.get(i - 1).opId() >= treeOps.get(i).opId()) {
                throw new IllegalArgumentException("treeOps must be sorted by opId, unique");
            }
        }
    }

    /** The unfinished file with this id. */
    public Optional<FileProgress> file(long fileId) {
        int lo = 0;
        int hi = files.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long id = files.get(mid).fileId();
            if (id < fileId) {
                lo = mid + 1;
            } else if (id > fileId) {
                hi = mid - 1;
            } else {
                return Optional.of(files.get(mid));
            }
        }
        return Optional.empty();
    }

    /** The unfinished file at {@code path} (at most one: a newer version supersedes the older). */
    public Optional<FileProgress> fileAt(String path) {
        Objects.requireNonNull(path, "path");
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }

    public boolean isEmpty() {
        return files.isEmpty() && treeOps.isEmpty();
    }
}
