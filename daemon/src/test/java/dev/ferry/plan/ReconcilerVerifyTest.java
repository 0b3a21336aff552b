package dev.ferry.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.index.IndexEntry;
import dev.ferry.index.SourceIndex;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon's reconcile with a target's listing: {@code verify: quick} against {@code verify: checksum}. */
class ReconcilerVerifyTest {
    @Test
    void quickLeavesWhatTheListingShowsAlikeAndChecksumOffersEveryFile() {
        SourceIndex index = SourceIndex.empty(Path.of("/state/index"));
        index.put(IndexEntry.file("same.bin", 10, 100, 5, 0644, 1, null));
        index.put(IndexEntry.file("newer.bin", 10, 101, 0, 0644, 2, null));
        index.put(IndexEntry.file("chmod.bin", 10, 100, 5, 0600, 3, null));
        List<Frame.ListedEntry> listing = List.of(
                new Frame.ListedEntry(EntryKind.FILE, "same.bin", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.FILE, "newer.bin", 10, 100, 5, 0644, ""),
                new Frame.ListedEntry(EntryKind.FILE, "chmod.bin", 10, 100, 5, 0644, ""));

        Delta quick = Reconciler.diff(index, listing, Path.of("/src"), "", false, p -> false, false);
        Delta checksum = Reconciler.diff(index, listing, Path.of("/src"), "", false, p -> false, true);

        assertThat(quick.files()).extracting(SourceEntry::remotePath).containsExactlyInAnyOrder("newer.bin", "chmod.bin");
        assertThat(checksum.files()).extracting(SourceEntry::remotePath)
                .containsExactlyInAnyOrder("same.bin", "newer.bin", "chmod.bin");
    }
}
