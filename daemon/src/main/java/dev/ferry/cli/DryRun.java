package dev.ferry.cli;

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

/**
 * {@code ferry push --dry-run}: what a push would do, from the source's listing and the receiver's LIST of the
 * subtree the push writes into (LIST writes nothing on the receiver). A file the push's quick check leaves out (the
 * same size, mtime and mode on the receiver: {@link PushPlan#inSync}) is reported unchanged, as is, with
 * {@code --checksum}, a file whose size and mtime match; a file touched but not changed is reported as sent (a real
 * push would send no chunk of it). The
 * plan's tree operations are reported as they are (it was reconciled with the same listing): deletes ({@code --delete}),
 * entries of another kind replaced, symlinks made; what only the receiver holds and is not deleted is counted, as
 * kept. Pure: the caller fetches the listing; runs on the main thread.
 */
final class DryRun {
    /** One line of the report, and what it counts as. */
    record Item(Kind kind, String path, String detail) {
        String line() {
            return String.format("%-9s %s%s", kind.word, path, detail.isEmpty() ? "" : "  " + detail);
        }
    }

    enum Kind {
        NEW("new"), CHANGED("changed"), MKDIR("mkdir"), UNCHANGED("unchanged"), CONFLICT("conflict"), DELETE("delete"),
        REPLACE("replace"), SYMLINK("symlink");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /** The whole answer: items in the order the push would do them, and how many entries only the receiver has. */
    record Report(List<Item> items, int onlyOnReceiver) {
        long count(Kind kind) {
            return items.stream().filter(i -> i.kind() == kind).count();
        }

        /** The bytes the files reported new or changed hold. */
        long bytesToSend(PushPlan plan) {
            Set<String> sent = new HashSet<>();
            for (Item i : items) {
                if (i.kind() == Kind.NEW || i.kind() == Kind.CHANGED) {
                    sent.add(i.path());
                }
            }
            return plan.files().stream().filter(f -> sent.contains(f.remotePath())).mapToLong(SourceEntry::size).sum();
        }

        /** {@code ferry: dry run, nothing written: would send 2 files (2.0 MiB), create 1 directory; 1 unchanged; ...} */
        String summary(PushPlan plan) {
            long files = count(Kind.NEW) + count(Kind.CHANGED);
            long dirs = count(Kind.MKDIR);
            long conflicts = count(Kind.CONFLICT);
            long links = count(Kind.SYMLINK);
            long replaced = count(Kind.REPLACE);
            return "ferry: dry run, nothing written: would send " + files + " file" + (files == 1 ? "" : "s") + " ("
                    + ProgressLine.size(bytesToSend(plan)) + "), " + links + " symlink" + (links == 1 ? "" : "s") + ", create "
                    + dirs + " director" + (dirs == 1 ? "y" : "ies") + (replaced == 0 ? "" : ", replace " + replaced)
                    + ", delete " + count(Kind.DELETE) + "; " + count(Kind.UNCHANGED) + " unchanged"
                    + (conflicts == 0 ? "" : ", " + conflicts + " conflict" + (conflicts == 1 ? "" : "s") + " (would fail)")
                    + "; " + onlyOnReceiver + " entr" + (onlyOnReceiver == 1 ? "y" : "ies") + " only on the receiver kept"
                    + "; " + plan.excluded() + " excluded";
        }
    }

    private DryRun() {
    }

    /** Compares the plan with the receiver's listing of {@code base} (paths relative to the folder root). */
    static Report compare(PushPlan plan, List<Frame.ListedEntry> listing) {
        Map<String, Frame.ListedEntry> there = new HashMap<>();
        for (Frame.ListedEntry e : listing) {
            there.put(e.path(), e);
        }
        List<Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>(); // (what the quick check left out is not "kept" either: see below)
        PushPlan.InSync inSync = plan.inSync();
        seen.addAll(inSync.files());
        seen.addAll(inSync.symlinks());
        seen.addAll(inSync.directories());
        Set<String> cleared = new HashSet<>();
        for (PushPlan.TreeEdit op : plan.ops()) {
            switch (op) {
                case PushPlan.TreeEdit.Delete d -> {
                    Frame.ListedEntry e = there.get(d.path());
                    String what = e == null ? "" : e.kind() == EntryKind.DIRECTORY ? "a directory" : e.kind() == EntryKind.FILE
                            ? "a file" : "a symlink";
                    items.add(d.replaced() ? new Item(Kind.REPLACE, d.path(), what + " on the receiver")
                            : new Item(Kind.DELETE, d.path() + (e != null && e.kind() == EntryKind.DIRECTORY ? "/" : ""), ""));
                    cleared.add(d.path());
                    for (String p : there.keySet()) { // what goes with it is not "kept"
                        if (RelativePath.within(p, d.path())) {
                            seen.add(p);
                        }
                    }
                }
                case PushPlan.TreeEdit.Symlink l -> {
                    seen.add(l.path());
                    items.add(new Item(Kind.SYMLINK, l.path(), "-> " + l.target()));
                }
                case PushPlan.TreeEdit.Rename r -> items.add(new Item(Kind.CHANGED, r.to(), "renamed from " + r.from()));
            }
        }
        there.keySet().removeAll(cleared);
        for (SourceEntry f : plan.files()) {
            seen.add(f.remotePath());
            Frame.ListedEntry e = there.get(f.remotePath());
            String size = ProgressLine.size(f.size());
            if (e == null) {
                items.add(new Item(Kind.NEW, f.remotePath(), size));
            } else if (e.kind() == EntryKind.DIRECTORY) {
                items.add(new Item(Kind.CONFLICT, f.remotePath(), "a directory on the receiver"));
            } else if (e.kind() == EntryKind.FILE && e.size() == f.size() && e.mtimeSeconds() == f.mtimeSeconds()
                    && e.mtimeNanos() == f.mtimeNanos()) {
                items.add(new Item(Kind.UNCHANGED, f.remotePath(), ""));
            } else {
                items.add(new Item(Kind.CHANGED, f.remotePath(), size + (e.kind() == EntryKind.SYMLINK ? ", replaces a symlink"
                        : e.size() != f.size() ? ", was " + ProgressLine.size(e.size()) : ", other mtime")));
            }
        }
        inSync.files().stream().sorted().forEach(p -> items.add(new Item(Kind.UNCHANGED, p, "")));
        for (SourceEntry d : plan.directories()) {
            seen.add(d.remotePath());
            Frame.ListedEntry e = there.get(d.remotePath());
            if (e == null) {
                items.add(new Item(Kind.MKDIR, d.remotePath() + "/", ""));
            } else if (e.kind() != EntryKind.DIRECTORY) {
                items.add(new Item(Kind.CONFLICT, d.remotePath() + "/", "a " + (e.kind() == EntryKind.FILE ? "file" : "symlink")
                        + " on the receiver"));
            }
        }
        int only = 0;
        for (String p : there.keySet()) {
            if (!seen.contains(p)) {
                only++;
            }
        }
        return new Report(items, only);
    }
}
