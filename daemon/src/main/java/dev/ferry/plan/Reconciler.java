package dev.ferry.plan;

import dev.ferry.hash.FileDigest;
import dev.ferry.index.IndexEntry;
import dev.ferry.index.SourceIndex;
import dev.ferry.path.RelativePath;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Compares the source index with a receiver's listing and says what to send: files and directories that are
 * missing or differ in size, mtime or mode; symlinks that are missing or point elsewhere; and, with delete on,
 * removal of what the source no longer has (the topmost such path only; ignored paths are left alone, as rsync
 * leaves excluded files). Pure logic, run on the pair's thread, and only when its {@link SourceGuard} allows: an
 * index that an unmounted source emptied would otherwise delete the whole listing.
 */
public final class Reconciler {
    private Reconciler() {
    }

    public static Delta diff(SourceIndex index, List<Frame.ListedEntry> listing, Path sourceRoot, String subdir, boolean delete,
                      Predicate<String> ignored) {
        return diff(index, listing, sourceRoot, subdir, delete, ignored, false);
    }

    /** @param checksum offer every file, also those the listing shows with their size, mtime and mode ({@code verify: checksum}) */
    public static Delta diff(SourceIndex index, List<Frame.ListedEntry> listing, Path sourceRoot, String subdir, boolean delete,
                      Predicate<String> ignored, boolean checksum) {
        Map<String, Frame.ListedEntry> remote = remote(listing, subdir);
        List<PushPlan.TreeEdit> ops = new ArrayList<>();
        List<SourceEntry> files = new ArrayList<>();
        List<SourceEntry> dirs = new ArrayList<>();
        Map<Path, FileDigest> digests = new HashMap<>();
        for (IndexEntry e : index.entries()) {
            Frame.ListedEntry r = remote.get(e.path());
            String remotePath = e.path(); // source-relative: the target adds its subdir when it sends
            if (r != null && r.kind() != e.kind()) {
                ops.add(new PushPlan.TreeEdit.Delete(remotePath)); // a file where the source has a directory, or the like
                r = null;
            }
            switch (e.kind()) {
                case FILE -> {
                    if (checksum || !QuickCheck.same(r, EntryKind.FILE, e.size(), e.mtimeSeconds(), e.mtimeNanos(), e.mode())) {
                        SourceEntry s = toSource(sourceRoot, e);
                        files.add(s);
                        if (e.digest() != null) {
                            digests.put(s.local(), e.digest());
                        }
                    }
                }
                case DIRECTORY -> {
                    if (!QuickCheck.same(r, EntryKind.DIRECTORY, 0, e.mtimeSeconds(), e.mtimeNanos(), e.mode())) {
                        dirs.add(toSource(sourceRoot, e));
                    }
                }
                case SYMLINK -> {
                    if (r == null || !r.linkTarget().equals(e.linkTarget())) {
                        ops.add(new PushPlan.TreeEdit.Symlink(remotePath, e.linkTarget(), e.mtimeSeconds(), e.mtimeNanos()));
                    }
                }
            }
        }
        if (delete) {
            for (String path : gone(remote.keySet(), path -> index.get(path).isPresent(), ignored)) {
                ops.addFirst(new PushPlan.TreeEdit.Delete(path));
            }
        }
        return new Delta(ops, files, dirs, digests, true);
    }

    /**
     * What a delete removes of {@code listed}: the paths the source does not have and does not ignore, sorted, the
     * topmost only (deleting a directory takes what is inside it). Shared by the daemon's reconcile and the one-shot
     * push's ({@link PushReconciler}).
     */
    static List<String> gone(Collection<String> listed, Predicate<String> inSource, Predicate<String> ignored) {
        List<String> candidates = new ArrayList<>();
        for (String path : listed) {
            if (!inSource.test(path) && !ignored.test(path)) {
                candidates.add(path);
            }
        }
        candidates.sort(null);
        List<String> topmost = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (String path : candidates) { // (a directory sorts before what is inside it)
            if (RelativePath.ancestors(path).stream().noneMatch(kept::contains)) { // else inside one already deleted
                topmost.add(path);
                kept.add(path);
            }
        }
        return topmost;
    }

    /** How many listed entries a reconcile with delete on could remove if the source were empty. */
    public static long deletable(List<Frame.ListedEntry> listing, String subdir, Predicate<String> ignored) {
        return remote(listing, subdir).keySet().stream().filter(p -> !ignored.test(p)).count();
    }

    /** The listed entries under {@code subdir}, keyed by their source-relative path. */
    private static Map<String, Frame.ListedEntry> remote(List<Frame.ListedEntry> listing, String subdir) {
        Map<String, Frame.ListedEntry> remote = new HashMap<>();
        for (Frame.ListedEntry e : listing) {
            if (subdir.isEmpty() || RelativePath.below(e.path(), subdir)) {
                remote.put(RelativePath.rebase(e.path(), subdir, ""), e);
            }
        }
        return remote;
    }

    /** What to send for {@code e}: its file under {@code root}, its source-relative path (a target adds its subdir). */
    static SourceEntry toSource(Path root, IndexEntry e) {
        return new SourceEntry(RelativePath.of(e.path()).under(root), e.path(), e.kind() == EntryKind.DIRECTORY,
                e.size(), e.mtimeSeconds(), e.mtimeNanos(), e.mode());
    }
}
