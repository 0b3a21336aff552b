package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.push.PushPlan;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one-shot push's reconcile: which DELETEs it adds before a walked plan, and which symlinks it leaves out. */
class PushReconcilerTest {
    private static SourceEntry file(String path) {
        return new SourceEntry(Path.of("/src", path), path, false, 1, 1, 0, 0644);
    }

    private static SourceEntry dir(String path) {
        return new SourceEntry(Path.of("/src", path), path, true, 0, 1, 0, 0755);
    }

    private static Frame.ListedEntry listed(EntryKind kind, String path) {
        return new Frame.ListedEntry(kind, path, 0, 1, 0, 0644, kind == EntryKind.SYMLINK ? "t" : "");
    }

    private static PushPlan.TreeEdit.Delete deleted(String path) {
        return new PushPlan.TreeEdit.Delete(path);
    }

    private static PushPlan.TreeEdit.Delete replaced(String path) {
        return new PushPlan.TreeEdit.Delete(path, true);
    }

    @Test
    void theNamedSubdirIsNeverReplacedButWhatTheSourceNamesBelowItIs() {
        PushPlan walked = new PushPlan(List.of(), List.of(file("in/x/f")), List.of(dir("in/x"), dir("in")), Map.of(),
                List.of());
        List<Frame.ListedEntry> there = List.of(listed(EntryKind.SYMLINK, "in"), listed(EntryKind.FILE, "in/x"));

        PushPlan plan = PushReconciler.reconcile(walked, there, "in", "in", true, p -> false);

        assertThat(plan.ops()).containsExactly(replaced("in/x"));
    }

    @Test
    void deleteTakesTheTopmostLostPathBelowTheBaseOnlyAndLeavesExcludedAndReplacedOnesAlone() {
        PushPlan walked = new PushPlan(List.of(new PushPlan.TreeEdit.Symlink("b/l", "t", 1, 0)), List.of(file("b/keep")),
                List.of(dir("b")), Map.of(), List.of());
        List<Frame.ListedEntry> there = List.of(listed(EntryKind.DIRECTORY, "b"), listed(EntryKind.FILE, "b/keep"),
                listed(EntryKind.DIRECTORY, "b/old"), listed(EntryKind.FILE, "b/old/f"), listed(EntryKind.DIRECTORY, "b/old b"),
                listed(EntryKind.FILE, "b/x.tmp"), listed(EntryKind.DIRECTORY, "b/l"), listed(EntryKind.FILE, "b/l/inside"));

        PushPlan plan = PushReconciler.reconcile(walked, there, "", "b", true, p -> p.endsWith(".tmp"));

        assertThat(plan.ops()).containsExactly(deleted("b/old"), deleted("b/old b"), replaced("b/l"),
                new PushPlan.TreeEdit.Symlink("b/l", "t", 1, 0));
        assertThat(PushReconciler.reconcile(walked, there, "", "b", false, p -> false).ops())
                .as("without delete only the replacement").containsExactly(replaced("b/l"),
                        new PushPlan.TreeEdit.Symlink("b/l", "t", 1, 0));
    }

    @Test
    void aSymlinkTheReceiverHoldsAsItIsIsLeftOutAndCounted() {
        PushPlan walked = new PushPlan(List.of(new PushPlan.TreeEdit.Symlink("same", "t", 1, 0),
                new PushPlan.TreeEdit.Symlink("other-time", "t", 1, 5), new PushPlan.TreeEdit.Symlink("other-text", "u", 1, 0)),
                List.of(), List.of(), Map.of(), List.of());
        List<Frame.ListedEntry> there = List.of(listed(EntryKind.SYMLINK, "same"), listed(EntryKind.SYMLINK, "other-time"),
                listed(EntryKind.SYMLINK, "other-text"));

        PushPlan plan = PushReconciler.reconcile(walked, there, "", "", false, p -> false);

        assertThat(plan.ops()).containsExactly(new PushPlan.TreeEdit.Symlink("other-time", "t", 1, 5),
                new PushPlan.TreeEdit.Symlink("other-text", "u", 1, 0));
        assertThat(plan.inSync()).isEqualTo(new PushPlan.InSync(Set.of(), Set.of("same"), Set.of()));
    }

    @Test
    void theQuickCheckLeavesOutWhatTheReceiverHoldsWithTheSameSizeMtimeAndModeUnlessChecksum() {
        SourceEntry same = new SourceEntry(Path.of("/src/d/same"), "d/same", false, 10, 100, 5, 0644);
        SourceEntry otherSize = new SourceEntry(Path.of("/src/d/size"), "d/size", false, 11, 100, 5, 0644);
        SourceEntry otherNanos = new SourceEntry(Path.of("/src/d/nanos"), "d/nanos", false, 10, 100, 6, 0644);
        SourceEntry otherMode = new SourceEntry(Path.of("/src/e/mode"), "e/mode", false, 10, 100, 5, 0600);
        SourceEntry quietDir = new SourceEntry(Path.of("/src/q"), "q", true, 0, 50, 0, 0755);
        SourceEntry busyDir = new SourceEntry(Path.of("/src/d"), "d", true, 0, 50, 0, 0755);
        SourceEntry modeDir = new SourceEntry(Path.of("/src/m"), "m", true, 0, 50, 0, 0750);
        PushPlan walked = new PushPlan(List.of(), List.of(same, otherSize, otherNanos, otherMode),
                List.of(quietDir, busyDir, modeDir), Map.of(), List.of());
        List<Frame.ListedEntry> there = List.of(
                new Frame.ListedEntry(EntryKind.FILE, "d/same", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.FILE, "d/size", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.FILE, "d/nanos", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.FILE, "e/mode", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.DIRECTORY, "q", 0, 50, 0, 0755, ""),
                new Frame.ListedEntry(EntryKind.DIRECTORY, "d", 0, 50, 0, 0755, ""),
                new Frame.ListedEntry(EntryKind.DIRECTORY, "m", 0, 50, 0, 0700, ""));

        PushPlan quick = PushReconciler.reconcile(walked, there, "", "", false, p -> false, false);
        PushPlan checksum = PushReconciler.reconcile(walked, there, "", "", false, p -> false, true);

        assertThat(quick.files()).containsExactly(otherSize, otherNanos, otherMode);
        assertThat(quick.directories()).as("d has files going in; m's mode differs").containsExactly(busyDir, modeDir);
        assertThat(quick.inSync()).isEqualTo(new PushPlan.InSync(Set.of("d/same"), Set.of(), Set.of("q")));
        assertThat(checksum.files()).containsExactly(same, otherSize, otherNanos, otherMode);
        assertThat(checksum.directories()).containsExactly(busyDir, modeDir);
        assertThat(checksum.inSync()).isEqualTo(new PushPlan.InSync(Set.of(), Set.of(), Set.of("q")));
        assertThat(quick.sameSizeThere()).as("may be there as they are: not inline").containsExactlyInAnyOrder("d/nanos", "e/mode");
        assertThat(checksum.sameSizeThere()).containsExactlyInAnyOrder("d/same", "d/nanos", "e/mode");
    }
}
