package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dry run's comparison of a plan with a receiver's listing: each kind of difference, by its exact line. */
class DryRunTest {
    private static SourceEntry file(String path, long size, long mtime, int nanos) {
        return new SourceEntry(Path.of("/src", path), path, false, size, mtime, nanos, 0644);
    }

    private static SourceEntry dir(String path) {
        return new SourceEntry(Path.of("/src", path), path, true, 0, 1, 0, 0755);
    }

    private static Frame.ListedEntry listed(EntryKind kind, String path, long size, long mtime, int nanos) {
        return new Frame.ListedEntry(kind, path, size, mtime, nanos, 0644, kind == EntryKind.SYMLINK ? "elsewhere" : "");
    }

    @Test
    void comparesSizeAndMtimeToTheNanosecondAndNamesEachConflict() {
        PushPlan plan = new PushPlan(List.of(),
                List.of(file("s/same", 10, 100, 5), file("s/nanos", 10, 100, 6), file("s/link", 10, 100, 5),
                        file("s/isdir", 10, 100, 5), file("s/new", 2048, 100, 5)),
                List.of(dir("s/sub"), dir("s/filehere"), dir("s")), Map.of(), List.of());
        List<Frame.ListedEntry> there = List.of(listed(EntryKind.DIRECTORY, "s", 0, 1, 0),
                listed(EntryKind.FILE, "s/same", 10, 100, 5), listed(EntryKind.FILE, "s/nanos", 10, 100, 5),
                listed(EntryKind.SYMLINK, "s/link", 9, 100, 5), listed(EntryKind.DIRECTORY, "s/isdir", 0, 100, 5),
                listed(EntryKind.FILE, "s/filehere", 3, 100, 5), listed(EntryKind.FILE, "s/extra", 3, 100, 5),
                listed(EntryKind.DIRECTORY, "s/extradir", 0, 100, 5));

        DryRun.Report r = DryRun.compare(plan, there);

        assertThat(r.items().stream().map(DryRun.Item::line)).containsExactly(
                "unchanged s/same",
                "changed   s/nanos  10 B, other mtime",
                "changed   s/link  10 B, replaces a symlink",
                "conflict  s/isdir  a directory on the receiver",
                "new       s/new  2.0 KiB",
                "mkdir     s/sub/",
                "conflict  s/filehere/  a file on the receiver");
        assertThat(r.onlyOnReceiver()).isEqualTo(2);
        assertThat(r.summary(plan)).isEqualTo("ferry: dry run, nothing written: would send 3 files (2.0 KiB), 0 symlinks,"
                + " create 1 directory, delete 0; 1 unchanged, 2 conflicts (would fail); 2 entries only on the receiver kept;"
                + " 0 excluded");
    }

    @Test
    void aReconciledPlanReportsItsDeletesReplacementsAndSymlinks() {
        PushPlan walked = new PushPlan(List.of(new PushPlan.TreeEdit.Symlink("s/ln", "../x", 100, 0)),
                List.of(file("s/same", 10, 100, 5), file("s/link", 10, 100, 5), file("s/isdir", 10, 100, 5)),
                List.of(dir("s/filehere"), dir("s")), Map.of(), List.of(), 2, PushPlan.InSync.NONE);
        List<Frame.ListedEntry> there = List.of(listed(EntryKind.DIRECTORY, "s", 0, 1, 0),
                listed(EntryKind.FILE, "s/same", 10, 100, 5), listed(EntryKind.SYMLINK, "s/link", 9, 100, 5),
                listed(EntryKind.DIRECTORY, "s/isdir", 0, 100, 5), listed(EntryKind.FILE, "s/isdir/inside", 1, 100, 5),
                listed(EntryKind.FILE, "s/filehere", 3, 100, 5), listed(EntryKind.FILE, "s/extra", 3, 100, 5),
                listed(EntryKind.DIRECTORY, "s/extradir", 0, 100, 5), listed(EntryKind.FILE, "s/extradir/f", 0, 100, 5),
                listed(EntryKind.FILE, "s/keep.tmp", 3, 100, 5));
        PushPlan plan = dev.ferry.plan.PushReconciler.reconcile(walked, there, "", "s", true, p -> p.endsWith(".tmp"));

        DryRun.Report r = DryRun.compare(plan, there);

        assertThat(r.items().stream().map(DryRun.Item::line)).containsExactly(
                "delete    s/extra",
                "delete    s/extradir/",
                "replace   s/filehere  a file on the receiver",
                "replace   s/isdir  a directory on the receiver",
                "replace   s/link  a symlink on the receiver",
                "symlink   s/ln  -> ../x",
                "new       s/link  10 B",
                "new       s/isdir  10 B",
                "unchanged s/same",
                "mkdir     s/filehere/");
        assertThat(r.onlyOnReceiver()).isEqualTo(1);
        assertThat(r.summary(plan)).isEqualTo("ferry: dry run, nothing written: would send 2 files (20 B), 1 symlink,"
                + " create 1 directory, replace 3, delete 2; 1 unchanged; 1 entry only on the receiver kept; 2 excluded");
    }
}
