package dev.ferry.plan;

import dev.ferry.path.RelativePath;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one-shot push's reconcile: a walked plan against the receiver's listing of the subtree the push writes into,
 * adding the tree operations the walk alone cannot know. Two kinds of DELETE, sent before everything else:
 * <ul>
 * <li>an entry of another kind where the plan puts something (a directory where a symlink goes, a symlink where a
 * directory goes, and so on): cleared for it ({@link PushPlan.TreeEdit.Delete#replaced()}), as the daemon's
 * {@link Reconciler} does; never the push's destination folder itself or anything above it;</li>
 * <li>with {@code delete} (rsync's {@code --delete}): what lies below the pushed base and the source no longer has,
 * the topmost such path only, leaving alone what the exclude patterns hold (as rsync protects excluded files)
 * — the same rule as the daemon's ({@link Reconciler#gone}).</li>
 * </ul>
 * What the receiver already holds as it is stays out of the plan (counted in {@link PushPlan.InSync}), as rsync
 * leaves it: a file of the same size, mtime and mode, unless {@code checksum} (its contents are then compared by the
 * receiver, as for any file sent); a symlink of the same text and mtime; a directory of the same mtime and mode that
 * nothing of the plan goes into. Everything else is sent. Pure logic, run
 * on the caller's thread; the receiver's {@code .ferry/} is never listed, so never deleted.
 */
public final class PushReconciler {
    private PushReconciler() {
    }

    /**
     * @param walked   what the source holds (paths relative to the receiver's folder root)
     * @param listing  the receiver's LIST of {@code base}
     * @param subdir   the destination folder the push names ("" for the folder root): never replaced
     * @param base     what the push fills: {@code subdir} for {@code SRC/}, {@code subdir/NAME} for {@code SRC}
     * @param excluded the exclude patterns, asked with paths below {@code base}
     */
    public static PushPlan reconcile(PushPlan walked, List<Frame.ListedEntry> listing, String subdir, String base,
                                     boolean delete, Predicate<String> excluded) {
        return reconcile(walked, listing, subdir, base, delete, excluded, false);
    }

    /**
     * @param checksum compare every file's contents ({@code --checksum}): no file is left out for its size and mtime
     */
    public static PushPlan reconcile(PushPlan walked, List<Frame.ListedEntry> listing, String subdir, String base,
                                     boolean delete, Predicate<String> excluded, boolean checksum) {
        Map<String, EntryKind> planned = planned(walked);
        Map<String, EntryKind> listed = new HashMap<>();
        Map<String, Frame.ListedEntry> there = new HashMap<>();
        for (Frame.ListedEntry e : listing) {
            if (RelativePath.within(e.path(), base)) {
                listed.put(e.path(), e.kind());
                there.put(e.path(), e);
            }
        }
        List<String> replaced = new ArrayList<>();
        for (Map.Entry<String, EntryKind> e : listed.entrySet()) {
            EntryKind wanted = planned.get(e.getKey());
            if (wanted != null && wanted != e.getValue() && RelativePath.below(e.getKey(), subdir)) {
                replaced.add(e.getKey());
            }
        }
        replaced.sort(null);
        List<PushPlan.TreeEdit> ops = new ArrayList<>();
        if (delete) {
            Set<String> cleared = new HashSet<>(replaced);
            List<String> below = listed.keySet().stream().filter(p -> RelativePath.below(p, base)).toList();
            for (String path : Reconciler.gone(below, planned::containsKey,
                    path -> excluded.test(RelativePath.rebase(path, base, "")))) {
                if (RelativePath.ancestors(path).stream().noneMatch(cleared::contains)) { // else a replace takes it
                    ops.add(new PushPlan.TreeEdit.Delete(path));
                }
            }
        }
        for (String path : replaced) {
            ops.add(new PushPlan.TreeEdit.Delete(path, true));
        }
        Set<String> linksInSync = new HashSet<>();
        for (PushPlan.TreeEdit op : walked.ops()) {
            if (op instanceof PushPlan.TreeEdit.Symlink l && same(l, there.get(l.path()))) {
                linksInSync.add(l.path()); // as rsync leaves a link that is already right
            } else {
                ops.add(op);
            }
        }
        List<SourceEntry> files = new ArrayList<>();
        Set<String> filesInSync = new HashSet<>();
        Set<String> sameSizeThere = new HashSet<>();
        for (SourceEntry f : walked.files()) {
            Frame.ListedEntry t = there.get(f.remotePath());
            if (checksum || !same(f, t, EntryKind.FILE)) {
                files.add(f);
                if (t != null && t.kind() == EntryKind.FILE && t.size() == f.size()) {
                    sameSizeThere.add(f.remotePath());
                }
            } else {
                filesInSync.add(f.remotePath());
            }
        }
        // a directory is left only if nothing goes into it: an entry made or removed in it moves its mtime
        Set<String> touched = new HashSet<>();
        files.forEach(f -> touched.add(RelativePath.parentOf(f.remotePath())));
        ops.forEach(op -> touched.add(RelativePath.parentOf(op.path())));
        List<SourceEntry> directories = new ArrayList<>();
        Set<String> directoriesInSync = new HashSet<>();
        for (SourceEntry d : walked.directories()) {
            if (touched.contains(d.remotePath()) || !same(d, there.get(d.remotePath()), EntryKind.DIRECTORY)) {
                directories.add(d);
            } else {
                directoriesInSync.add(d.remotePath());
            }
        }
        PushPlan.InSync inSync = new PushPlan.InSync(filesInSync, linksInSync, directoriesInSync);
        return walked.reconciled(ops, files, directories, inSync, sameSizeThere);
    }

    /** The quick check ({@link QuickCheck}) of a walked file or directory against what the receiver lists. */
    private static boolean same(SourceEntry e, Frame.ListedEntry there, EntryKind kind) {
        return QuickCheck.same(there, kind, e.size(), e.mtimeSeconds(), e.mtimeNanos(), e.mode());
    }

    /** The receiver holds {@code link} as it is: a symlink with its text and its mtime. */
    private static boolean same(PushPlan.TreeEdit.Symlink link, Frame.ListedEntry there) {
        return there != null && there.kind() == EntryKind.SYMLINK && there.linkTarget().equals(link.target())
                && there.mtimeSeconds() == link.mtimeSeconds() && there.mtimeNanos() == link.mtimeNanos();
    }

    /** Every path the plan puts on the receiver, with its kind. */
    private static Map<String, EntryKind> planned(PushPlan plan) {
        Map<String, EntryKind> kinds = new HashMap<>();
        for (SourceEntry f : plan.files()) {
            kinds.put(f.remotePath(), EntryKind.FILE);
        }
        for (SourceEntry d : plan.directories()) {
            kinds.put(d.remotePath(), EntryKind.DIRECTORY);
        }
        for (PushPlan.TreeEdit op : plan.ops()) {
            if (op instanceof PushPlan.TreeEdit.Symlink l) {
                kinds.put(l.path(), EntryKind.SYMLINK);
            }
        }
        return kinds;
    }
}
