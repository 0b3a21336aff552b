package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.disk.Beneath;
import dev.ferry.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small durable group waits for more files only in a burst (a group flushed within {@link CommitGroup#BURST}), and
 * only while a syncfs would not serve it yet; a file after a quiet spell, a big group or no fsync never waits.
 */
class CommitGroupGatherTest {
    @TempDir
    Path root;
    Beneath folder;
    final ManualClock clock = new ManualClock();
    final List<Integer> committed = new ArrayList<>();
    final CommitGroup.Outcome outcome = new CommitGroup.Outcome() {
        @Override
        public void committed(VerifiedFile f) {
            committed.add(f.fileId());
        }

        @Override
        public void failed(VerifiedFile f, FileFailure failure) {
            throw new AssertionError("file " + f.fileId() + " failed: " + failure.getMessage());
        }
    };
    int nextId = 1;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(root.resolve(".ferry/partial"));
        folder = Beneath.open(root);
    }

    @AfterEach
    void close() {
        folder.close();
    }

    @Test
    void aFileAfterAQuietSpellIsCommittedAtOnce() throws IOException {
        CommitGroup group = new CommitGroup(true, clock);
        group.add(file());
        assertThat(group.worthGathering()).isFalse();
    }

    @Test
    void inABurstASmallGroupWaitsUntilASyncfsServesIt() throws IOException {
        CommitGroup group = new CommitGroup(true, clock);
        group.add(file());
        group.flush(outcome);
        assertThat(committed).containsExactly(1);

        clock.advance(Duration.ofMillis(3));
        for (int i = 1; i < CommitGroup.BY_FILE_SYSTEM_FROM; i++) {
            group.add(file());
            assertThat(group.worthGathering()).as("%d waiting", i).isTrue();
        }
        group.add(file());
        assertThat(group.worthGathering()).as("a syncfs serves %d", CommitGroup.BY_FILE_SYSTEM_FROM).isFalse();

        group.flush(outcome);
        assertThat(committed).hasSize(1 + CommitGroup.BY_FILE_SYSTEM_FROM);
        assertThat(Files.list(root).filter(p -> p.getFileName().toString().startsWith("f")).count())
                .isEqualTo(1 + CommitGroup.BY_FILE_SYSTEM_FROM);
    }

    @Test
    void theBurstEndsAfterItsWindow() throws IOException {
        CommitGroup group = new CommitGroup(true, clock);
        group.add(file());
        group.flush(outcome);
        group.add(file());
        clock.advance(CommitGroup.BURST.minusNanos(1));
        assertThat(group.worthGathering()).isTrue();
        clock.advance(Duration.ofNanos(1));
        assertThat(group.worthGathering()).isFalse();
    }

    @Test
    void withoutFsyncNothingWaits() throws IOException {
        CommitGroup group = new CommitGroup(false, clock);
        group.add(file());
        group.flush(outcome);
        group.add(file());
        assertThat(group.worthGathering()).isFalse();
    }

    /** A verified file of a few bytes, ready for steps 2 and 3 of its commit. */
    private VerifiedFile file() throws IOException {
        int id = nextId++;
        PartialFile partial = PartialFile.fresh(PartialPaths.of(folder, "f" + id), false, null, true);
        partial.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
        return new VerifiedFile(id, "f" + id, partial, folder, "f" + id, true, null, null);
    }
}
