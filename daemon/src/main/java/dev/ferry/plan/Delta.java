package dev.ferry.plan;

import static dev.ferry.path.RelativePath.depth;
import static dev.ferry.path.RelativePath.join;

import dev.ferry.hash.FileDigest;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the targets lack (tree operations, files, directories), made by the pair's thread from the index and handed
 * to every target as is (immutable once built). Called a delta, not a batch, to keep it apart from the journal's and
 * the receiver's batches of records and acks. Several deltas waiting for a target merge into one {@link PushPlan}:
 * tree operations in order, the last version of each file or directory.
 *
 * @param full a reconcile from the receiver's listing: it supersedes whatever was queued before it
 */
public record Delta(List<PushPlan.TreeEdit> ops, List<SourceEntry> files, List<SourceEntry> directories,
                    Map<Path, FileDigest> digests, boolean full) {
    public Delta {
        ops = List.copyOf(ops);
        files = List.copyOf(files);
        directories = List.copyOf(directories);
        digests = Map.copyOf(digests);
    }

    /** True if it deletes anything on the targets. */
    public boolean deletes() {
        return ops.stream().anyMatch(op -> op instanceof PushPlan.TreeEdit.Delete);
    }

    public boolean isEmpty() {
        return ops.isEmpty() && files.isEmpty() && directories.isEmpty();
    }

    /** One plan from queued deltas, every remote path under {@code subdir} ("" = the folder root). */
    public static PushPlan merge(List<Delta> deltas, String subdir) {
        List<PushPlan.TreeEdit> ops = new ArrayList<>();
        Map<String, SourceEntry> files = new LinkedHashMap<>();
        Map<String, SourceEntry> dirs = new LinkedHashMap<>();
        Map<Path, FileDigest> digests = new java.util.HashMap<>();
        for (Delta b : deltas) {
            for (PushPlan.TreeEdit op : b.ops()) {
                ops.add(prefixed(op, subdir));
                if (op instanceof PushPlan.TreeEdit.Delete d) { // a delete cancels an earlier upload of that path
                    files.remove(d.path());
                    dirs.remove(d.path());
                }
            }
            b.files().forEach(f -> files.put(f.remotePath(), prefixed(f, subdir)));
            b.directories().forEach(d -> dirs.put(d.remotePath(), prefixed(d, subdir)));
            digests.putAll(b.digests());
        }
        List<SourceEntry> dirList = new ArrayList<>(dirs.values());
        dirList.sort((x, y) -> Integer.compare(depth(y.remotePath()), depth(x.remotePath()))); // deepest first
        return new PushPlan(ops, new ArrayList<>(files.values()), dirList, digests, List.of());
    }

    private static SourceEntry prefixed(SourceEntry e, String subdir) {
        return subdir.isEmpty() ? e : new SourceEntry(e.local(), join(subdir, e.remotePath()), e.directory(), e.size(),
                e.mtimeSeconds(), e.mtimeNanos(), e.mode());
    }

    private static PushPlan.TreeEdit prefixed(PushPlan.TreeEdit op, String subdir) {
        if (subdir.isEmpty()) {
            return op;
        }
        return switch (op) {
            case PushPlan.TreeEdit.Delete d -> new PushPlan.TreeEdit.Delete(join(subdir, d.path()), d.replaced());
            case PushPlan.TreeEdit.Rename r -> new PushPlan.TreeEdit.Rename(join(subdir, r.from()), join(subdir, r.to()));
            case PushPlan.TreeEdit.Symlink l -> new PushPlan.TreeEdit.Symlink(join(subdir, l.path()), l.target(), l.mtimeSeconds(),
                    l.mtimeNanos());
        };
    }
}
