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
 * subtree the push writes into (LIST writes nothing on the receiver). A file whose size and mtime match what the
 * receiver holds counts as unchanged, as rsync's quick check does; so a file changed without its size or mtime
 * changing is reported unchanged (a real push compares chunk hashes and would send the changed chunks), and a file
 * touched but not changed is reported as sent (a real push would send no chunk of it). Modes are not compared. A
 * one-shot push deletes and renames nothing, so neither is reported; what only the receiver holds is counted, as kept.
 * Pure: the caller fetches the listing; runs on the main thread.
 */
final class DryRun {
    /** One line of the report, and what it counts as. */
    record Item(Kind kind, String path, String detail) {
        String line() {
            return String.format("%-9s %s%s", kind.word, path, detail.isEmpty() ? "" : "  " + detail);
        }
    }

    enum Kind {
        NEW("new"), CHANGED("changed"), MKDIR("mkdir"), UNCHANGED("unchanged"), CONFLICT("conflict");

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
            return "ferry: dry run, nothing written: would send " + files + " file" + (files == 1 ? "" : "s") + " ("
                    + ProgressLine.size(bytesToSend(plan)) + "), create " + dirs + " director" + (dirs == 1 ? "y" : "ies")
                    + "; " + count(Kind.UNCHANGED) + " unchanged"
                    + (conflicts == 0 ? "" : ", " + conflicts + " conflict" + (conflicts == 1 ? "" : "s") + " (would fail)")
                    + "; push deletes nothing (" + onlyOnReceiver + " entr" + (onlyOnReceiver == 1 ? "y" : "ies")
                    + " only on the receiver kept)";
        }
    }

    private DryRun() {
    }

    /**
     * The subtree of the receiver's folder a push of {@code plan} writes into: where its single file goes, or the
     * directory it fills ({@code subdir} for {@code SRC/}, {@code subdir/NAME} for {@code SRC}).
     */
    static String base(PushPlan plan, String subdir, boolean contentsOnly, String sourceName, boolean sourceIsDirectory) {
        if (!sourceIsDirectory) {
            return plan.files().getFirst().remotePath();
        }
        return contentsOnly ? subdir : RelativePath.join(subdir, sourceName);
    }

    /** Compares the plan with the receiver's listing of {@code base} (paths relative to the folder root). */
    static Report compare(PushPlan plan, List<Frame.ListedEntry> listing) {
        Map<String, Frame.ListedEntry> there = new HashMap<>();
        for (Frame.ListedEntry e : listing) {
            there.put(e.path(), e);
        }
        List<Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
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
