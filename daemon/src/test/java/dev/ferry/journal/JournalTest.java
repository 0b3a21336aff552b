package dev.ferry.journal;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's API on real files: what goes in comes back after a restart, and nothing else does. */
class JournalTest {
    private static final FileVersion TEN_CHUNKS = new FileVersion(40_000, 1_700_000_000_000_000_001L,
            new byte[] {9, 8, 7}, 4096, 10);

    @TempDir
    Path dir;

    private Journal open() throws IOException {
        return Journal.open(dir, JournalOptions.DEFAULTS, InstantSource.system());
    }

    private Path segment(long n) {
        return dir.resolve(Segments.name(n));
    }

    @Test
    void everyKindOfProgressSurvivesARestart() throws IOException {
        long a;
        long b;
        long c;
        long rename;
        long delete;
        try (Journal j = open()) {
            a = j.enqueueFile("photos/été.jpg", TEN_CHUNKS);
            b = j.enqueueFile("docs/empty.txt", new FileVersion(0, 0, new byte[0], 4096, 0));
            c = j.enqueueFile("big.iso", new FileVersion(3L << 30, 5, new byte[0], 1 << 20, 3072));
            j.chunksAcked(a, 0, 3);
            j.chunksAcked(a, 5, 6);
            j.chunkFailed(a, 3, 1, "NACK CRC");
            j.chunksAcked(c, 0, 1000);
            j.fileParked(c, "receiver disk full", 1_767_225_600_000L);
            j.fileCommitted(b);
            rename = j.queueTreeOp(new TreeOp.Rename("old", "new"));
            delete = j.queueTreeOp(new TreeOp.Delete("gone"));
            j.queueTreeOp(new TreeOp.Symlink("link", "../t"));
            j.queueTreeOp(new TreeOp.MakeDir("made"));
            j.treeOpDone(delete);
        }

        try (Journal j = open()) {
            JournalState s = j.state();
            assertThat(s.files()).containsExactly(
                    new FileProgress(a, "photos/été.jpg", TEN_CHUNKS, ChunkRanges.of(0, 3).with(5, 6),
                            new FileProgress.Failure(3, 1, "NACK CRC"), null),
                    new FileProgress(c, "big.iso", new FileVersion(3L << 30, 5, new byte[0], 1 << 20, 3072),
                            ChunkRanges.of(0, 1000), null,
                            new FileProgress.Parked("receiver disk full", 1_767_225_600_000L)));
            assertThat(s.file(a).orElseThrow().missing().toString()).isEqualTo("[3,5) [6,10)");
            assertThat(s.treeOps()).containsExactly(new PendingTreeOp(rename, new TreeOp.Rename("old", "new")),
                    new PendingTreeOp(delete + 1, new TreeOp.Symlink("link", "../t")),
                    new PendingTreeOp(delete + 2, new TreeOp.MakeDir("made")));
            assertThat(s.nextId()).isEqualTo(delete + 3);
            assertThat(j.counters().tornTailsCut()).isZero();
        }
    }

    @Test
    void theSegmentHoldsExactlyTheRecordsAppendedInOrder() throws IOException {
        List<JournalRecord> records = Scripts.random(7, 300);
        JournalState before;
        try (Journal j = open()) {
            Scripts.playAll(j, records);
            before = j.state();
        }

        assertThat(Scripts.readRecords(segment(1), 1)).containsExactlyElementsOf(records);
        try (Journal j = open()) {
            assertThat(j.state()).isEqualTo(before).isEqualTo(Scripts.stateOf(records));
        }
    }

    @Test
    void idsKeepGrowingAcrossRestartsEvenWhenEverythingFinished() throws IOException {
        try (Journal j = open()) {
            assertThat(j.enqueueFile("a", TEN_CHUNKS)).isEqualTo(1);
            assertThat(j.queueTreeOp(new TreeOp.Delete("b"))).isEqualTo(2);
            j.fileCommitted(1);
            j.treeOpDone(2);
        }
        try (Journal j = open()) {
            assertThat(j.state().isEmpty()).isTrue();
            assertThat(j.enqueueFile("a", TEN_CHUNKS)).isEqualTo(3);
        }
    }

    @Test
    void aNewFolderGetsAFirstSegmentHoldingOnlyAHeader() throws IOException {
        Path nested = dir.resolve("state/pair-1");
        try (Journal j = Journal.open(nested, JournalOptions.DEFAULTS, InstantSource.system())) {
            assertThat(j.state()).isEqualTo(new JournalState(List.of(), List.of(), 1));
            assertThat(j.counters()).isEqualTo(new JournalCounters(0, 0, JournalFormat.HEADER_LENGTH, 0, 0, 0));
        }
        try (Stream<Path> files = Files.list(nested)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("journal-0000000000000001.log", "journal.lock");
        }
        assertThat(Files.size(nested.resolve("journal-0000000000000001.log"))).isEqualTo(JournalFormat.HEADER_LENGTH);
        assertThat(Scripts.readHeader(nested.resolve("journal-0000000000000001.log"), 1))
                .isEqualTo(new JournalFormat.Header(1, 1));
    }

    @Test
    void onlyTheNewestSegmentIsReplayedAndOlderOnesAreRemoved() throws IOException {
        List<JournalRecord> old = Scripts.random(1, 40);
        List<JournalRecord> newer = Scripts.random(2, 40, 100);
        Files.write(segment(3), Scripts.segmentBytes(3, 1, old));
        Files.write(segment(5), Scripts.segmentBytes(5, 100, newer));
        Files.writeString(dir.resolve("notes.txt"), "not ours");
        Files.writeString(dir.resolve("journal-12.log"), "not a segment name");

        try (var log = CapturedLog.quiet(Journal.class); Journal j = open()) {
            assertThat(j.state()).isEqualTo(Scripts.stateOf(newer, 100));
            assertThat(log.at(Level.INFO)).containsExactly("journal dir=" + dir + " removed segment=3 superseded by "
                    + "segment=5 (a compaction was interrupted before its clean-up)");
        }
        assertThat(segment(3)).doesNotExist();
        assertThat(dir.resolve("notes.txt")).exists();
        assertThat(dir.resolve("journal-12.log")).exists();
    }

    @Test
    void aSecondJournalOnTheSameFolderIsRefused() throws IOException {
        try (Journal j = open()) {
            assertThatThrownBy(this::open).isInstanceOf(IOException.class)
                    .hasMessage("journal folder=" + dir + " is in use: journal.lock is locked by another journal "
                            + "(this process or another one)");
            j.enqueueFile("still/usable", TEN_CHUNKS);
        }
        try (Journal j = open()) {
            assertThat(j.state().files()).hasSize(1);
        }
    }

    @Test
    void appendsAfterCloseFailAndCloseIsIdempotent() throws IOException {
        Journal j = open();
        j.close();
        j.close();

        assertThatThrownBy(() -> j.enqueueFile("a", TEN_CHUNKS)).isInstanceOf(IOException.class)
                .hasMessage("journal dir=" + dir + " is closed");
        assertThatThrownBy(() -> j.chunksAcked(1, 0, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void aNewerVersionOfAPathSupersedesTheUnfinishedOneAcrossRestarts() throws IOException {
        FileVersion v2 = new FileVersion(8, 2, new byte[] {2}, 4, 2);
        FileVersion v3 = new FileVersion(12, 3, new byte[] {3}, 4, 3);
        long first;
        long second;
        try (Journal j = open()) {
            first = j.enqueueFile("doc.txt", TEN_CHUNKS);
            j.chunksAcked(first, 0, 6);
            j.fileParked(first, "slow", 5);
            second = j.enqueueFile("doc.txt", v2);
            j.chunksAcked(second, 0, 1);
            j.enqueueFile("other.txt", v2);
        }
        try (Journal j = open()) {
            assertThat(j.state().fileAt("doc.txt")).contains(
                    new FileProgress(second, "doc.txt", v2, ChunkRanges.of(0, 1), null, null));
            assertThat(j.file(first)).isEmpty();
            assertThat(j.chunksAcked(first, 6, 7)).as("stale after the restart too").isZero();

            long third = j.enqueueFile("doc.txt", v3);

            assertThat(j.state().files()).extracting(FileProgress::fileId, FileProgress::path)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(second + 1, "other.txt"),
                            org.assertj.core.groups.Tuple.tuple(third, "doc.txt"));
        }
    }

    @Test
    void lateRecordsForFinishedOrSupersededFilesAreIgnoredNotWritten() throws IOException {
        FileVersion v2 = new FileVersion(8, 2, new byte[0], 4, 2);
        try (Journal j = open()) {
            long first = j.enqueueFile("a", TEN_CHUNKS);
            long second = j.enqueueFile("a", v2);
            long op = j.queueTreeOp(new TreeOp.MakeDir("d"));
            j.treeOpDone(op);

            assertThat(j.chunksAcked(first, 0, 1)).as("returns the last seq").isEqualTo(4);
            assertThat(j.fileCommitted(first)).isEqualTo(4);
            assertThat(j.treeOpDone(op)).isEqualTo(4);
            assertThat(j.state().files()).containsExactly(FileProgress.enqueued(second, "a", v2));
            assertThat(j.counters().recordsAppended()).isEqualTo(4);
            assertThat(j.counters().staleRecordsIgnored()).isEqualTo(3);
        }
        assertThat(Scripts.readRecords(segment(1), 1)).hasSize(4)
                .first().isEqualTo(new FileEnqueued(1, "a", TEN_CHUNKS));
    }

    @Test
    void recordsThatCannotBeRightAreRefusedAndNotWritten() throws IOException {
        try (Journal j = open()) {
            long id = j.enqueueFile("a", TEN_CHUNKS);

            assertThatThrownBy(() -> j.chunksAcked(id + 5, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("id=6 was never handed out (next id=2)");
            assertThatThrownBy(() -> j.chunksAcked(id, 9, 11)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("chunks [9, 11) acked past the end of fileId=1 (chunkCount=10)");
            assertThatThrownBy(() -> j.chunkFailed(id, 0, 0, "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("attempt=0 must be >= 1");
            assertThatThrownBy(() -> j.enqueueFile("", TEN_CHUNKS)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("path must not be empty");
            assertThat(j.appendedSeq()).isEqualTo(1);
            assertThat(j.state().nextId()).isEqualTo(2);
        }
        assertThat(Scripts.readRecords(segment(1), 1)).hasSize(1);
    }

    @Test
    void aSingleFileCanBeLookedUpWithoutCopyingTheState() throws IOException {
        try (Journal j = open()) {
            long id = j.enqueueFile("a", TEN_CHUNKS);
            j.chunksAcked(id, 0, 10);

            assertThat(j.file(id).orElseThrow().allAcked()).isTrue();
            assertThat(j.file(id + 1)).isEmpty();
            assertThat(j.state().fileAt("a").orElseThrow().fileId()).isEqualTo(id);
        }
    }

    @Test
    void runsOnAnInMemoryFileSystemToo() throws IOException {
        try (java.nio.file.FileSystem fs = com.google.common.jimfs.Jimfs.newFileSystem(
                com.google.common.jimfs.Configuration.unix())) {
            Path inMemory = fs.getPath("/state/pair");
            List<JournalRecord> records = Scripts.random(21, 100);
            try (Journal j = Journal.open(inMemory, JournalOptions.DEFAULTS, InstantSource.system())) {
                Scripts.playAll(j, records);
                j.requestCompaction();
                j.sync();
            }
            try (Journal j = Journal.open(inMemory, JournalOptions.DEFAULTS, InstantSource.system())) {
                assertThat(j.state()).isEqualTo(Scripts.stateOf(records));
            }
        }
    }
}
