package dev.ferry.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When appends become durable. The journal's clock is a {@link FakeClock}: the flusher can only find the interval
 * over once the test moves it, so "not yet forced" is certain, and a short bounded wait shows it.
 */
class GroupCommitTest {
    /** Long enough for the flusher to act if it wrongly would; the clock, not this, decides. */
    private static final Duration NOT_YET = Duration.ofMillis(60);
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final FileVersion V = new FileVersion(400, 1, new byte[0], 4, 100);

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();

    private Journal open(JournalOptions options) throws IOException {
        return Journal.open(dir, options, clock);
    }

    private static JournalOptions options(Duration interval, int everyRecords) {
        return JournalOptions.DEFAULTS.withCommitInterval(interval).withCommitEveryRecords(everyRecords);
    }

    @Test
    void appendsWaitForTheIntervalOnTheJournalsClock() throws IOException {
        try (Journal j = open(options(Duration.ofMillis(10), 1000))) {
            long id = j.enqueueFile("a", V);
            clock.advance(Duration.ofMillis(6));
            long seq = j.chunksAcked(id, 0, 1);

            assertThat(j.awaitDurable(seq, NOT_YET)).isFalse();
            assertThat(j.durableSeq()).isZero();
            assertThat(j.counters().fsyncs()).isZero();

            clock.advance(Duration.ofMillis(4)); // 10 ms after the oldest waiting record
            assertThat(j.awaitDurable(seq, BOUND)).isTrue();
            assertThat(j.durableSeq()).isEqualTo(2);
            assertThat(j.counters().fsyncs()).as("both records in one group commit").isEqualTo(1);
        }
    }

    @Test
    void aClockSteppingBackCommitsEarlyInsteadOfStalling() throws IOException {
        try (Journal j = open(options(Duration.ofMillis(50), 1000))) {
            j.enqueueFile("a", V);
            long seq = j.appendedSeq();
            assertThat(j.awaitDurable(seq, NOT_YET)).isFalse();

            clock.advance(Duration.ofHours(-1));

            assertThat(j.awaitDurable(seq, BOUND)).isTrue();
            assertThat(j.counters().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void aFullBatchIsForcedWithoutWaitingForTheInterval() throws IOException {
        try (Journal j = open(options(Duration.ofHours(1), 4))) {
            long id = j.enqueueFile("a", V);
            j.chunksAcked(id, 0, 1);
            long third = j.chunksAcked(id, 1, 2);
            assertThat(j.awaitDurable(third, NOT_YET)).isFalse();

            long fourth = j.chunksAcked(id, 2, 3);

            assertThat(j.awaitDurable(fourth, BOUND)).isTrue();
            assertThat(j.counters().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void everyBatchCostsExactlyOneFsync() throws IOException {
        try (Journal j = open(options(Duration.ofHours(1), 2))) {
            long id = j.enqueueFile("a", V);
            for (int batch = 1; batch <= 5; batch++) {
                long seq = j.chunksAcked(id, 2 * batch - 2, 2 * batch - 1);
                if (batch > 1) {
                    seq = j.chunksAcked(id, 2 * batch - 1, 2 * batch);
                }
                assertThat(j.awaitDurable(seq, BOUND)).isTrue();
                assertThat(j.counters().fsyncs()).as("after batch %d", batch).isEqualTo(batch);
            }
            assertThat(j.counters().recordsAppended()).isEqualTo(10);
        }
    }

    @Test
    void syncForcesNowAndNotAgainWhenNothingIsNew() throws IOException {
        try (Journal j = open(options(Duration.ofHours(1), 1000))) {
            long id = j.enqueueFile("a", V);
            j.chunksAcked(id, 0, 5);

            j.sync();

            assertThat(j.durableSeq()).isEqualTo(2);
            assertThat(j.counters().fsyncs()).isEqualTo(1);
            j.sync();
            assertThat(j.counters().fsyncs()).isEqualTo(1);
        }
    }

    @Test
    void countersAddUpToTheBytesOnDisk() throws IOException {
        try (Journal j = open(options(Duration.ofHours(1), 1000))) {
            long id = j.enqueueFile("a", V);
            j.chunksAcked(id, 0, 5);
            j.fileParked(id, "slow", 99);
            j.sync();

            long size = Files.size(dir.resolve(Segments.name(1)));
            assertThat(j.counters()).isEqualTo(new JournalCounters(3, 0, size, 1, 0, 0));
        }
    }

    @Test
    void withoutDurabilityRecordsAreWrittenButNeverForced() throws IOException {
        JournalOptions notDurable = options(Duration.ofMillis(5), 1000).withDurable(false);
        try (Journal j = open(notDurable)) {
            long id = j.enqueueFile("a", V);
            long seq = j.chunksAcked(id, 0, 7);
            clock.advance(Duration.ofMillis(5));

            assertThat(j.awaitDurable(seq, BOUND)).as("written to the OS").isTrue();
            j.sync();
            assertThat(j.counters().fsyncs()).isZero();
            assertThat(Files.size(dir.resolve(Segments.name(1)))).isEqualTo(j.counters().bytesWritten());
        }
        try (Journal j = open(notDurable)) {
            assertThat(j.state().files().getFirst().acked()).isEqualTo(ChunkRanges.of(0, 7));
        }
    }

    @Test
    void closeMakesWaitingRecordsDurable() throws IOException {
        try (Journal j = open(options(Duration.ofHours(1), 1000))) {
            j.enqueueFile("a", V);
            j.queueTreeOp(new TreeOp.Delete("b"));
            assertThat(j.durableSeq()).isZero();
        }
        try (Journal j = open(options(Duration.ofHours(1), 1000))) {
            assertThat(j.state().files()).hasSize(1);
            assertThat(j.state().treeOps()).hasSize(1);
        }
    }

    @Test
    void waitingForARecordNeverAppendedIsAMistake() throws IOException {
        try (Journal j = open(options(Duration.ofMillis(5), 1000))) {
            j.enqueueFile("a", V);

            assertThatThrownBy(() -> j.awaitDurable(2, BOUND)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("seq=2 was never appended (last seq=1)");
            assertThat(j.awaitDurable(0, Duration.ZERO)).isTrue();
        }
    }

    @Test
    void threadsAppendingTogetherShareTheirFsyncs() throws Exception {
        int threads = 8;
        int perThread = 100;
        try (Journal j = open(options(Duration.ofHours(1), 100))) {
            long[] ids = new long[threads];
            for (int t = 0; t < threads; t++) {
                ids[t] = j.enqueueFile("f" + t, V);
            }
            j.sync();
            long before = j.counters().fsyncs();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    long id = ids[t];
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int c = 0; c < perThread; c++) {
                            j.chunksAcked(id, c, c + 1);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
                }
            }
            j.sync();

            assertThat(j.counters().fsyncs() - before).as("800 records in batches of >= 100, then the rest")
                    .isBetween(1L, 9L);
            assertThat(j.durableSeq()).isEqualTo(threads + threads * perThread);
            assertThat(j.state().files()).allSatisfy(f -> assertThat(f.allAcked()).isTrue());
        }
    }
}
