package dev.ferry.daemon;

import dev.ferry.journal.PendingTreeOp;
import dev.ferry.journal.TreeOp;
import dev.ferry.path.RelativePath;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a target sends first after a start: the tree operations and files its journal says were on their way, as far
 * as they are still true of the source (files as they are now; the receiver's NEED names the chunks it still
 * lacks). Files gone from the source are dropped from the journal here. Run once by the target's thread.
 *
 * @param plan    what to send again (empty if nothing)
 * @param settled the journal ids of every pending tree operation: all are settled once the plan went out, the ones
 *                no longer true of the source being left to the reconcile that follows
 */
record JournalResume(PushPlan plan, List<Long> settled) {

    static JournalResume of(TargetJournal journal, Path root, String subdir) {
        List<PushPlan.TreeEdit> ops = new ArrayList<>();
        List<PendingTreeOp> pending = journal.pendingOps();
        List<Long> settled = pending.stream().map(PendingTreeOp::opId).toList();
        for (var op : pending) {
            switch (op.op()) {
                case TreeOp.Rename r when !exists(root, subdir, r.from()) && exists(root, subdir, r.to()) ->
                        ops.add(new PushPlan.TreeEdit.Rename(r.from(), r.to()));
                case TreeOp.Delete d when !exists(root, subdir, d.path()) -> ops.add(new PushPlan.TreeEdit.Delete(d.path()));
                default -> {
                } // no longer what the source says: the reconcile that follows sorts it out
            }
        }
        List<SourceEntry> files = new ArrayList<>();
        for (var f : journal.unfinished()) {
            if (!inside(f.path(), subdir)) {
                continue;
            }
            Path local = RelativePath.of(RelativePath.rebase(f.path(), subdir, "")).under(root);
            try {
                SourceEntry e = SourceEntry.of(local, f.path());
                if (!e.directory()) {
                    files.add(e);
                }
            } catch (IOException gone) {
                journal.dropped(f.fileId(), "gone from the source");
            }
        }
        return new JournalResume(new PushPlan(ops, files, List.of(), Map.of(), List.of()), settled);
    }

    private static boolean exists(Path root, String subdir, String remotePath) {
        if (!inside(remotePath, subdir)) {
            return true; // not ours to judge: leave it
        }
        Path local = RelativePath.of(RelativePath.rebase(remotePath, subdir, "")).under(root);
        return Files.exists(local, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code remotePath} is one of this target's entries: below its subdir ("" holds everything). */
    private static boolean inside(String remotePath, String subdir) {
        return subdir.isEmpty() || RelativePath.below(remotePath, subdir);
    }
}
