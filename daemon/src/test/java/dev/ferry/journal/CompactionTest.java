package dev.ferry.journal;

import dev.ferry.testing.CapturedLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rewriting the live state into a fresh segment: what it keeps and drops, when it happens, that a crash between any
 * two of its steps replays to the same state (the on-disk states built by hand), and that appends made while it runs
 * are neither lost nor doubled.
 */
class CompactionTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final FileVersion TEN_CHUNKS = new FileVersion(40, 7, new byte[] {1, 2, 3, 4}, 4, 10);
    private static final JournalOptions SMALL = JournalOptions.DEFAULTS
            .withCompactAtBytes(JournalOptions.MIN_COMPACT_AT_BYTES);

    @TempDir
    Path dir;

    private Journal open(JournalOptions options) throws IOException {
        return Journal.open(dir, options, InstantSource.system());
    }

    private Path segment(long n) {
        return dir.resolve(Segments.name(n));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void compactNow(Journal j) {
        long before = j.counters().compactions();
        j.requestCompaction();
        await().atMost(BOUND).until(() -> j.counters().compactions() > before); // others may run meanwhile
    }

    @Test
    void compactionKeepsTheLiveStateAndDropsFinishedWork() throws IOException {
        JournalState before;
        long c;
        long rename;
        try (Journal j = open(JournalOptions.DEFAULTS)) {
            long a = j.enqueueFile("a", TEN_CHUNKS);
            long b = j.enqueueFile("b", TEN_CHUNKS);
            c = j.enqueueFile("c", TEN_CHUNKS);
            j.chunksAcked(a, 0, 10);
            j.fileCommitted(a);
            j.chunksAcked(b, 0, 4);
            j.fileDropped(b, "source changed");
            j.chunksAcked(c, 0, 2);
            j.chunksAcked(c, 4, 6);
            j.chunkFailed(c, 2, 1, "timeout");
            j.chunkFailed(c, 3, 2, "NACK");
            j.fileParked(c, "keeps failing", 1_767_225_600_000L);
            long delete = j.queueTreeOp(new TreeOp.Delete("x"));
            rename = j.queueTreeOp(new TreeOp.Rename("y", "z"));
            j.treeOpDone(delete);
            before = j.state();

            compactNow(j);

            assertThat(j.state()).isEqualTo(before);
            assertThat(files()).containsExactly("journal-0000000000000002.log", "journal.lock");
            assertThat(Scripts.readHeader(segment(2), 2)).isEqualTo(new JournalFormat.Header(2, rename + 1));
            assertThat(Scripts.readRecords(segment(2), 2)).containsExactly(
                    new FileEnqueued(c, "c", TEN_CHUNKS), new ChunksAcked(c, 0, 2), new ChunksAcked(c, 4, 6),
                    new ChunkFailed(c, 3, 2, "NACK"), new FileParked(c, "keeps failing", 1_767_225_600_000L),
                    new TreeOpQueued(rename, new TreeOp.Rename("y", "z")));
            assertThat(j.enqueueFile("d", TEN_CHUNKS)).isEqualTo(rename + 1);
        }
        try (Journal j = open(JournalOptions.DEFAULTS)) {
            assertThat(j.state().files()).hasSize(2).first().isEqualTo(before.files().getFirst());
            assertThat(j.state().treeOps()).isEqualTo(before.treeOps());
        }
    }

    @Test
    void idsStayMonotonicWhenEveryFileWasFinishedBeforeCompaction() throws IOException {
        try (Journal j = open(JournalOptions.DEFAULTS)) {
            for (int i = 1; i <= 5; i++) {
                j.fileCommitted(j.enqueueFile("f" + i, TEN_CHUNKS));
            }
            compactNow(j);

            assertThat(Files.size(segment(2))).isEqualTo(JournalFormat.HEADER_LENGTH);
            assertThat(Scripts.readHeader(segment(2), 2).nextId()).isEqualTo(6);
        }
        try (Journal j = open(JournalOptions.DEFAULTS)) {
            assertThat(j.enqueueFile("g", TEN_CHUNKS)).isEqualTo(6);
        }
    }

    /**
     * The rule, in the test's own words: compact once the segment holds max(compactAtBytes, 2 x what the last
     * compaction wrote) bytes. Appends one record at a time, each its own batch, and waits for each compaction the
     * rule predicts before the next append (a compaction runs after the batch that set it off is durable, so an
     * append made meanwhile would land in the snapshot instead of after it).
     */
    private static final class Rule {
        private final RecordCodec codec = new RecordCodec();
        private final LiveState model = new LiveState(1);
        private final long compactAtBytes;
        private long size = JournalFormat.HEADER_LENGTH;
        private long base = size;
        private long compactions;

        Rule(long compactAtBytes) {
            this.compactAtBytes = compactAtBytes;
        }

        void append(Journal j, JournalRecord r) throws IOException {
            Scripts.play(j, r);
            j.sync();
            model.apply(r);
            size += codec.encode(r).remaining();
            if (size >= Math.max(compactAtBytes, 2 * base)) {
                compactions++;
                long[] snapshot = {JournalFormat.HEADER_LENGTH};
                LiveState.rebuild(model.snapshot(), x -> snapshot[0] += codec.encode(x).remaining());
                size = snapshot[0];
                base = size;
                await().atMost(BOUND).until(() -> j.counters().compactions() == compactions);
            }
            assertThat(j.counters().compactions()).isEqualTo(compactions);
        }
    }

    @Test
    void theActiveSegmentIsCompactedEachTimeItPassesCompactAtBytes() throws IOException {
        JournalOptions options = SMALL.withDurable(false);
        FileVersion thousand = new FileVersion(4000, 1, new byte[0], 4, 1000);
        Rule rule = new Rule(options.compactAtBytes());
        try (Journal j = open(options)) {
            rule.append(j, new FileEnqueued(1, "big", thousand));
            for (int c = 0; c < 1000; c++) {
                rule.append(j, new ChunksAcked(1, c, c + 1));
            }
            assertThat(rule.compactions).isGreaterThan(20);
            assertThat(files()).containsExactly(Segments.name(rule.compactions + 1), "journal.lock");
        }
        try (Journal j = open(options)) {
            assertThat(j.state().files()).singleElement()
                    .satisfies(f -> assertThat(f.acked()).isEqualTo(ChunkRanges.of(0, 1000)));
        }
    }

    @Test
    void aLargeLiveStateDoesNotCompactOverAndOver() throws IOException {
        JournalOptions options = SMALL.withDurable(false);
        Rule rule = new Rule(options.compactAtBytes());
        try (Journal j = open(options)) {
            for (int i = 0; i < 200; i++) {
                rule.append(j, new FileEnqueued(i + 1, "folder/file-" + i, TEN_CHUNKS));
            }
            assertThat(rule.compactions).as("the threshold doubles with the live state: a handful, not one per KiB")
                    .isBetween(3L, 5L);
        }
    }

    // ---- a crash between two steps ---------------------------------------------------------------------------

    /** Where a compaction of segment 1 into segment 2 stopped. */
    enum CrashPoint {
        WHILE_WRITING_THE_NEW_SEGMENT, BEFORE_THE_RENAME, AFTER_THE_RENAME, AFTER_THE_CLEAN_UP,
        AFTER_FURTHER_APPENDS
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aCrashAtAnyStepReplaysToTheSameState(CrashPoint crash) throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            clear();
            List<JournalRecord> records = Scripts.random(seed, 80);
            JournalState state = Scripts.stateOf(records);
            byte[] old = Scripts.segmentBytes(1, 1, records);
            Path tmp = Segments.writeTemp(dir, 2, state); // what step 3 writes
            byte[] snapshot = Files.readAllBytes(tmp);
            List<JournalRecord> further = Scripts.random(seed + 100, 10, state.nextId());
            JournalState expected = state;
            long segmentLeft = 2;

            switch (crash) {
                case WHILE_WRITING_THE_NEW_SEGMENT -> {
                    Files.write(segment(1), old);
                    Files.write(tmp, Arrays.copyOf(snapshot, snapshot.length / 2 + (int) seed));
                    segmentLeft = 1;
                }
                case BEFORE_THE_RENAME -> {
                    Files.write(segment(1), old);
                    segmentLeft = 1;
                }
                case AFTER_THE_RENAME -> {
                    Files.write(segment(1), old);
                    Segments.install(tmp);
                }
                case AFTER_THE_CLEAN_UP -> Segments.install(tmp);
                case AFTER_FURTHER_APPENDS -> {
                    Files.write(segment(1), old);
                    Segments.install(tmp);
                    byte[] more = Scripts.segmentBytes(2, 1, further);
                    Files.write(segment(2), Arrays.copyOfRange(more, JournalFormat.HEADER_LENGTH, more.length),
                            java.nio.file.StandardOpenOption.APPEND);
                    List<JournalRecord> all = new ArrayList<>();
                    LiveState.rebuild(state, all::add);
                    all.addAll(further);
                    expected = Scripts.stateOf(all, state.nextId());
                }
            }

            try (Journal j = open(JournalOptions.DEFAULTS)) {
                assertThat(j.state()).as("%s, seed %d", crash, seed).isEqualTo(expected);
                assertThat(j.counters().tornTailsCut()).isZero();
                assertThat(files()).containsExactly(Segments.name(segmentLeft), "journal.lock");
                assertThat(j.enqueueFile("next", TEN_CHUNKS)).as("ids go on").isEqualTo(expected.nextId());
                compactNow(j); // and the next compaction works from here
            }
            assertThat(files()).containsExactly(Segments.name(segmentLeft + 1), "journal.lock");
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- appends while it runs -------------------------------------------------------------------------------

    @Test
    void appendsMadeWhileCompactingAreNeitherLostNorDoubled() throws Exception {
        int threads = 4;
        int atLeast = 500;        // appends per thread, and each goes on until...
        long compactions = 10;    // ...this many compactions ran while it appended
        JournalOptions options = SMALL.withCommitInterval(Duration.ofMillis(1)).withCommitEveryRecords(16);
        List<LiveState> models = new ArrayList<>();
        AtomicLong appended = new AtomicLong();
        JournalState before;
        try (Journal j = open(options)) {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean appending = new AtomicBoolean(true);
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> compactor = pool.submit(() -> {
                    start.await();
                    while (appending.get()) {
                        compactNow(j);
                    }
                    return null;
                });
                for (int t = 0; t < threads; t++) {
                    LiveState mine = new LiveState(1);
                    models.add(mine);
                    String prefix = "t" + t + "/";
                    Random r = new Random(t);
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < atLeast || j.counters().compactions() < compactions; i++) {
                            appendOne(j, r, mine, prefix);
                            appended.incrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                }
                appending.set(false);
                compactor.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            j.sync();
            before = j.state();
            assertThat(j.counters().compactions()).isGreaterThanOrEqualTo(compactions);
            assertThat(j.counters().recordsAppended()).isEqualTo(appended.get());
            assertThat(j.counters().staleRecordsIgnored()).isZero();
        }

        List<FileProgress> files = new ArrayList<>();
        List<PendingTreeOp> ops = new ArrayList<>();
        for (LiveState m : models) {
            files.addAll(m.snapshot().files());
            ops.addAll(m.snapshot().treeOps());
        }
        files.sort(Comparator.comparingLong(FileProgress::fileId));
        ops.sort(Comparator.comparingLong(PendingTreeOp::opId));
        assertThat(before.files()).as("what each thread's own model says it left").isEqualTo(files);
        assertThat(before.treeOps()).isEqualTo(ops);
        try (Journal j = open(options)) {
            assertThat(j.state()).isEqualTo(before);
            assertThat(j.counters().tornTailsCut()).isZero();
        }
        assertThat(files()).hasSize(2); // one segment and the lock
    }

    /** One random append by a thread that keeps its own model of the files and ops it owns. */
    private static void appendOne(Journal j, Random r, LiveState mine, String prefix) throws IOException {
        while (true) {
            JournalRecord rec = Scripts.next(r, mine, prefix);
            if (!mine.accepts(rec)) {
                continue;
            }
            switch (rec) {
                case FileEnqueued e -> rec = new FileEnqueued(j.enqueueFile(e.path(), e.version()), e.path(),
                        e.version());
                case TreeOpQueued q -> rec = new TreeOpQueued(j.queueTreeOp(q.op()), q.op());
                default -> Scripts.play(j, rec);
            }
            mine.apply(rec);
            return;
        }
    }

    // ---- a compaction that fails ----------------------------------------------------------------------------

    @Test
    void aFailedCompactionStopsTheJournalAndAReopenKeepsWhatWasDurable() throws IOException {
        JournalState before;
        try (CapturedLog log = CapturedLog.quiet(Flusher.class); Journal j = open(JournalOptions.DEFAULTS)) {
            Files.createDirectory(dir.resolve(Segments.name(2) + Segments.TEMP_SUFFIX)); // no temp file can be made
            long id = j.enqueueFile("a", TEN_CHUNKS);
            long seq = j.chunksAcked(id, 0, 3);
            j.sync();
            before = j.state();

            j.requestCompaction();
            await().atMost(BOUND).until(() -> j.failure() != null);

            assertThatThrownBy(() -> j.chunksAcked(id, 3, 4)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("journal dir=" + dir + " failed and takes no more records: ");
            assertThatThrownBy(j::sync).isInstanceOf(IOException.class).hasMessageStartingWith("journal failed: ");
            assertThat(j.awaitDurable(seq, Duration.ZERO)).as("durable before the failure").isTrue();
            assertThat(j.state()).isEqualTo(before);
            assertThat(log.at(Level.ERROR)).singleElement().asString()
                    .startsWith("journal dir=" + dir + " segment=1 cannot be written, it takes no more records: ");
        }
        try (Journal j = open(JournalOptions.DEFAULTS)) { // open clears the failed compaction's leftover
            assertThat(j.state()).isEqualTo(before);
            assertThat(files()).containsExactly(Segments.name(1), "journal.lock");
        }
    }
}
