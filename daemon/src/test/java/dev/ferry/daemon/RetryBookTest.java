package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.daemon.RetryBook.Verdict;
import dev.ferry.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A target's failed files: retried after the delay, parked after five failures in a row; a hand-moved clock. */
class RetryBookTest {
    final ManualClock clock = new ManualClock();
    final RetryBook book = new RetryBook(clock, Duration.ofSeconds(1));

    @Test
    void aFailedFileIsDueAgainAfterTheRetryDelay() {
        assertThat(book.failed("sub/a.txt", "disk full")).isEqualTo(Verdict.RETRYING);
        book.retryLater("a.txt", "sub/a.txt");
        clock.advance(Duration.ofMillis(999));
        assertThat(book.takeDue()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(book.takeDue()).containsExactly("a.txt");
        assertThat(book.takeDue()).isEmpty();
    }

    @Test
    void theFifthFailureInARowParksTheFileOnceAndItWaitsTenMinutes() {
        for (int i = 1; i < RetryBook.PARK_AFTER; i++) {
            assertThat(book.failed("a.txt", "too large")).isEqualTo(Verdict.RETRYING);
        }
        assertThat(book.failed("a.txt", "too large")).isEqualTo(Verdict.PARKED_NOW);
        assertThat(book.failuresInARow("a.txt")).isEqualTo(5);
        assertThat(book.failed("a.txt", "still too large")).isEqualTo(Verdict.STILL_PARKED);
        assertThat(book.parked()).isEqualTo(Map.of("a.txt", "still too large"));
        assertThat(book.parkedUntilEpochMillis()).isEqualTo(clock.millis() + Duration.ofMinutes(10).toMillis());

        book.retryLater("a.txt", "a.txt");
        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(book.takeDue()).isEmpty();
        clock.advance(Duration.ofNanos(1));
        assertThat(book.takeDue()).containsExactly("a.txt");
    }

    @Test
    void aSuccessEndsTheParkingAndTheCountStartsAgain() {
        for (int i = 0; i < RetryBook.PARK_AFTER; i++) {
            book.failed("a.txt", "too large");
        }
        assertThat(book.succeeded("a.txt")).isTrue();
        assertThat(book.parked()).isEmpty();
        assertThat(book.failuresInARow("a.txt")).isZero();
        assertThat(book.succeeded("a.txt")).isFalse();
        assertThat(book.failed("a.txt", "too large")).isEqualTo(Verdict.RETRYING);
    }

    @Test
    void anEarlierRetryTimeWinsOverALaterOne() {
        book.retryLater("a.txt", "a.txt");
        for (int i = 0; i < RetryBook.PARK_AFTER; i++) {
            book.failed("a.txt", "too large");
        }
        book.retryLater("a.txt", "a.txt"); // parked now: ten minutes, but the one-second retry stays
        clock.advance(Duration.ofSeconds(1));
        assertThat(book.takeDue()).containsExactly("a.txt");
    }

    @Test
    void aDueFileThatIsGoneOrADirectoryNowLeavesTheBook(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
            throws java.io.IOException {
        java.nio.file.Files.writeString(root.resolve("still.txt"), "here");
        java.nio.file.Files.createDirectory(root.resolve("now-a-dir"));
        for (String path : new String[] {"still.txt", "gone.txt", "now-a-dir"}) {
            book.failed("sub/" + path, "source changed while it was pushed");
            book.retryLater(path, "sub/" + path);
        }
        assertThat(book.retrying()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));

        assertThat(book.takeDueFiles(root, "sub")).extracting(dev.ferry.push.SourceEntry::remotePath)
                .containsExactly("still.txt");
        assertThat(book.retrying()).as("only still.txt waits for its outcome").isEqualTo(1);
        assertThat(book.failuresInARow("sub/gone.txt")).isZero();
    }
}
