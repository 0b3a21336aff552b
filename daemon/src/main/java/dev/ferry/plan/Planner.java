package dev.ferry.plan;

import dev.ferry.hash.FileDigest;
import dev.ferry.index.IndexEntry;
import dev.ferry.index.ScanResult;
import dev.ferry.index.Scanner;
import dev.ferry.index.SourceIndex;
import dev.ferry.path.RelativePath;
import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns settled paths (and subtrees to rescan) into one {@link Delta}, updating the pair's index as it goes: new
 * and changed entries, moves found by inode (a RENAME instead of new bytes), deletions held back for the rename
 * window so that a move arriving as delete + create is still seen as one. One planner per round of settled paths,
 * on the pair's thread, which owns the index and the {@link DeferredDeletes} it is handed.
 */
public final class Planner {
    private final SourceIndex index;
    private final Scanner scanner;
    private final IgnoreRules ignored;
    private final Path root;
    /** The pair's deletions waiting out the rename window. */
    private final DeferredDeletes deferred;
    /** Paths whose rename window closed with no move claiming them: deleted now. */
    private final Set<String> confirmedGone;
    private final Runnable onFullScan;

    public Planner(SourceIndex index, Scanner scanner, IgnoreRules ignored, Path root, DeferredDeletes deferred,
                   Set<String> confirmedGone, Runnable onFullScan) {
        this.index = index;
        this.scanner = scanner;
        this.ignored = ignored;
        this.root = root;
        this.deferred = deferred;
        this.confirmedGone = confirmedGone;
        this.onFullScan = onFullScan;
    }

    /** Paths gone from the source (value: the entry they had, null if a rescan found them gone). */
    private final Map<String, IndexEntry> vanished = new TreeMap<>();
    private final List<PushPlan.TreeEdit> ops = new ArrayList<>();
    private final Map<String, IndexEntry> upserts = new TreeMap<>();

    public Delta plan(TreeSet<String> paths, List<String> scanRoots) throws IOException {
        // parents too: adding or removing an entry changes its directory's mtime
        for (String p : List.copyOf(paths)) {
            RelativePath parent = p.isEmpty() ? RelativePath.ROOT : RelativePath.of(p).parent();
            if (!parent.isRoot()) {
                paths.add(parent.text());
            }
        }
        for (String p : paths) {
            if (!ignored.test(p)) {
                examine(p);
            }
        }
        for (String subtree : scanRoots) {
            if (!subtree.isEmpty() && index.get(subtree).isEmpty() && !ignored.test(subtree)) {
                examine(subtree); // a new directory: maybe one that moved here (a rename, not new bytes)
            }
            ScanResult r = scanner.scan(subtree, index); // updates the index itself: take its findings as they are
            if (subtree.isEmpty()) {
                onFullScan.run();
            }
            for (String p : r.changed()) {
                index.get(p).ifPresent(e -> upserts.put(p, e));
            }
            r.removed().forEach(gone -> vanished.put(gone, null));
        }
        String lastDeleted = null;
        for (Map.Entry<String, IndexEntry> gone : vanished.entrySet()) { // sorted: a directory before its contents
            String path = gone.getKey();
            if (gone.getValue() != null && !confirmedGone.contains(path)) {
                deferred.hold(path);
                continue; // stays in the index (so a move can find it by inode) until the window closes
            }
            if (gone.getValue() != null) { // gone from the index only now that no rename claimed it
                if (gone.getValue().kind() == EntryKind.DIRECTORY) {
                    index.removeTree(path);
                } else {
                    index.remove(path);
                }
            }
            if (lastDeleted == null || !RelativePath.below(path, lastDeleted)) {
                ops.add(new PushPlan.TreeEdit.Delete(path));
                lastDeleted = path;
            }
        }
        return toDelta();
    }

    private void examine(String path) throws IOException {
        Optional<IndexEntry> before = index.get(path);
        Optional<IndexEntry> now = scanner.describe(path, before.orElse(null));
        if (now.isEmpty()) {
            before.ifPresent(b -> vanished.put(path, b)); // removed from the index at the end, unless it moved
            return;
        }
        IndexEntry e = now.get();
        if (before.isEmpty() && renamedFrom(e)) {
            return;
        }
        if (before.isPresent() && before.get().equals(e)) {
            return; // nothing changed (an event for a no-op, or already handled)
        }
        index.put(e);
        upserts.put(path, e);
        if (e.kind() == EntryKind.DIRECTORY && before.isEmpty()) {
            ScanResult r = scanner.scan(path, index); // a new directory may arrive full (mv from outside, mkdir -p)
            for (String p : r.changed()) {
                index.get(p).ifPresent(x -> upserts.put(p, x));
            }
        }
    }

    /** A new path carrying the inode of a path that vanished (now or in this round): a move. */
    private boolean renamedFrom(IndexEntry e) throws IOException {
        if (e.inode() == 0) {
            return false;
        }
        Optional<IndexEntry> old = index.byInode(e.inode()).filter(o -> !o.path().equals(e.path()) && o.kind() == e.kind());
        if (old.isEmpty()) {
            old = vanished.values().stream().filter(v -> v != null && v.inode() == e.inode() && v.kind() == e.kind())
                    .findFirst();
            if (old.isEmpty()) {
                return false;
            }
        }
        String from = old.get().path();
        if (scanner.describe(from, null).isPresent()) {
            return false; // the old path still exists: a hard link or a copy, not a move
        }
        vanished.remove(from);
        deferred.cancel(from);
        index.renameTree(from, e.path());
        ops.add(new PushPlan.TreeEdit.Rename(from, e.path()));
        index.put(e);
        if (e.kind() == EntryKind.DIRECTORY) {
            ScanResult r = scanner.scan(e.path(), index); // contents changed during the move are caught here
            for (String p : r.changed()) {
                index.get(p).ifPresent(x -> upserts.put(p, x));
            }
        }
        if (!old.get().sameContentAs(e) || old.get().mode() != e.mode()) {
            upserts.put(e.path(), e); // changed on the way (or its mode did): the RENAME alone would not carry that
        }
        return true;
    }

    private Delta toDelta() {
        List<SourceEntry> files = new ArrayList<>();
        List<SourceEntry> dirs = new ArrayList<>();
        Map<Path, FileDigest> digests = new HashMap<>();
        for (IndexEntry e : upserts.values()) {
            switch (e.kind()) {
                case FILE -> {
                    SourceEntry s = Reconciler.toSource(root, e);
                    files.add(s);
                    if (e.digest() != null) {
                        digests.put(s.local(), e.digest());
                    }
                }
                case DIRECTORY -> dirs.add(Reconciler.toSource(root, e));
                case SYMLINK -> ops.add(new PushPlan.TreeEdit.Symlink(e.path(), e.linkTarget(), e.mtimeSeconds(), e.mtimeNanos()));
            }
        }
        return new Delta(ops, files, dirs, digests, false);
    }
}
