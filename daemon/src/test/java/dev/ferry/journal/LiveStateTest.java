package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules records fold into the live state by, without any file. */
class LiveStateTest {
    private static final FileVersion TEN_CHUNKS = new FileVersion(40, 5, new byte[0], 4, 10);
    private static final FileVersion THREE_CHUNKS = new FileVersion(12, 6, new byte[] {1, 2}, 4, 3);
    /** Seeded scripts per length in the rebuild check, for every length of 0 to 80 records. */
    private static final int SEEDS_PER_LENGTH = 8;

    private final LiveState s = new LiveState(1);

    private void apply(JournalRecord... records) {
        for (JournalRecord r : records) {
            assertThat(s.accepts(r)).as("%s accepted", r).isTrue();
            s.apply(r);
        }
    }

    @Test
    void aFileCollectsAcksFailuresAndParking() {
        apply(new FileEnqueued(1, "a", TEN_CHUNKS), new ChunksAcked(1, 0, 3), new ChunksAcked(1, 5, 6),
                new ChunkFailed(1, 3, 1, "timeout"), new ChunkFailed(1, 4, 2, "NACK"),
                new FileParked(1, "keeps failing", 1234));

        FileProgress f = s.file(1).orElseThrow();
        assertThat(f.acked().toString()).isEqualTo("[0,3) [5,6)");
        assertThat(f.missing().toString()).isEqualTo("[3,5) [6,10)");
        assertThat(f.lastFailure()).isEqualTo(new FileProgress.Failure(4, 2, "NACK"));
        assertThat(f.attempts()).isEqualTo(2);
        assertThat(f.parked()).isEqualTo(new FileProgress.Parked("keeps failing", 1234));
        assertThat(f.allAcked()).isFalse();
        assertThat(s.nextId()).isEqualTo(2);
    }

    @Test
    void committedAndDroppedFilesLeaveTheLiveState() {
        apply(new FileEnqueued(1, "a", TEN_CHUNKS), new FileEnqueued(2, "b", THREE_CHUNKS),
                new FileEnqueued(3, "c", THREE_CHUNKS), new FileCommitted(1), new FileDropped(2, "source deleted"));

        assertThat(s.snapshot().files()).extracting(FileProgress::fileId).containsExactly(3L);
        assertThat(s.nextId()).isEqualTo(4);
    }

    @Test
    void aNewVersionOfAPathSupersedesTheUnfinishedOne() {
        apply(new FileEnqueued(1, "a", TEN_CHUNKS), new ChunksAcked(1, 0, 5), new FileEnqueued(2, "a", THREE_CHUNKS));

        assertThat(s.snapshot().files()).containsExactly(FileProgress.enqueued(2, "a", THREE_CHUNKS));
        assertThat(s.accepts(new ChunksAcked(1, 5, 6))).as("late ack of the superseded version is stale").isFalse();
        apply(new FileCommitted(2), new FileEnqueued(3, "a", TEN_CHUNKS));
        assertThat(s.snapshot().fileAt("a").orElseThrow().fileId()).isEqualTo(3);
    }

    @Test
    void recordsAboutFinishedIdsAreStaleAndChangeNothing() {
        apply(new FileEnqueued(1, "a", TEN_CHUNKS), new FileCommitted(1), new TreeOpQueued(2, new TreeOp.Delete("x")),
                new TreeOpDone(2));
        JournalState before = s.snapshot();

        assertThat(s.accepts(new ChunksAcked(1, 0, 1))).isFalse();
        assertThat(s.accepts(new ChunkFailed(1, 0, 1, "late"))).isFalse();
        assertThat(s.accepts(new FileCommitted(1))).isFalse();
        assertThat(s.accepts(new FileDropped(1, "late"))).isFalse();
        assertThat(s.accepts(new FileParked(1, "late", 1))).isFalse();
        assertThat(s.accepts(new TreeOpDone(2))).isFalse();
        assertThat(s.accepts(new ChunksAcked(2, 0, 1))).as("an op id is no file").isFalse();
        assertThat(s.snapshot()).isEqualTo(before);
    }

    @Test
    void recordsThatCannotBeRightAreRefused() {
        apply(new FileEnqueued(1, "a", THREE_CHUNKS), new TreeOpQueued(2, new TreeOp.MakeDir("d")));

        assertThatThrownBy(() -> s.accepts(new ChunksAcked(5, 0, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id=5 was never handed out (next id=3)");
        assertThatThrownBy(() -> s.accepts(new ChunksAcked(1, 2, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunks [2, 4) acked past the end of fileId=1 (chunkCount=3)");
        assertThatThrownBy(() -> s.accepts(new ChunkFailed(1, 3, 1, "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunk=3 failed past the end of fileId=1 (chunkCount=3)");
        assertThatThrownBy(() -> s.accepts(new FileEnqueued(1, "b", THREE_CHUNKS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("id=1 is already live");
        assertThatThrownBy(() -> s.accepts(new TreeOpQueued(2, new TreeOp.Delete("e"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("id=2 is already live");
        assertThatThrownBy(() -> s.accepts(new TreeOpDone(9))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void treeOpsWaitInIdOrderUntilDone() {
        apply(new TreeOpQueued(1, new TreeOp.Rename("a", "b")), new TreeOpQueued(2, new TreeOp.Symlink("l", "t")),
                new TreeOpQueued(3, new TreeOp.Delete("c")), new TreeOpDone(2));

        assertThat(s.snapshot().treeOps()).containsExactly(new PendingTreeOp(1, new TreeOp.Rename("a", "b")),
                new PendingTreeOp(3, new TreeOp.Delete("c")));
    }

    @Test
    void rebuildingAStateFromItsSnapshotRecordsGivesTheSameState() {
        for (int n = 0; n <= 80; n++) {
            for (int k = 0; k < SEEDS_PER_LENGTH; k++) {
                long seed = Scripts.seed(n * SEEDS_PER_LENGTH + k);
                String what = "Scripts.random(seed=" + seed + ", n=" + n + ")";
                JournalState state = Scripts.stateOf(Scripts.random(seed, n));
                List<JournalRecord> records = new ArrayList<>();
                LiveState.rebuild(state, records::add);

                assertThat(Scripts.stateOf(records, state.nextId())).as(what).isEqualTo(state);
                assertThat(records).as(what).noneMatch(r -> r instanceof FileCommitted || r instanceof FileDropped
                        || r instanceof TreeOpDone);
            }
        }
    }
}
