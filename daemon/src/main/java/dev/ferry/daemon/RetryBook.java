package dev.ferry.daemon;

import dev.ferry.path.RelativePath;
import dev.ferry.push.SourceEntry;
import dev.ferry.status.TargetStatus;
import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A target's book of files that failed there: how many times in a row each failed, which are parked (given up on
 * for {@link #PARKED_FOR} after {@link #PARK_AFTER} failures in a row, so that one bad file does not hold up the
 * rest), and when each is tried again. Decides only; its target logs and journals what it decides. Owned by the
 * target's thread; {@link #parked()} may be read from any thread.
 */
final class RetryBook {
    static final int PARK_AFTER = 5;
    /** How long a parked file waits before it is tried again. */
    static final Duration PARKED_FOR = Duration.ofMinutes(10);

    /** What one more failure made of a file. */
    enum Verdict { RETRYING, PARKED_NOW, STILL_PARKED }

    private final FerryClock clock;
    private final Duration retryDelay;
    /** Failed sessions in a row per remote path. */
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    /** Remote path → why it was parked and until when. */
    private final Map<String, TargetStatus.ParkedFile> parked = new ConcurrentHashMap<>();
    /** Source-relative path → the clock's nanoTime when it is sent again. */
    private final Map<String, Long> retryAtNs = new HashMap<>();

    RetryBook(FerryClock clock, Duration retryDelay) {
        this.clock = clock;
        this.retryDelay = retryDelay;
    }

    /** One more failure of {@code remotePath} in a row; at {@link #PARK_AFTER} in a row it is parked. */
    Verdict failed(String remotePath, String reason) {
        int n = failuresInARow.merge(remotePath, 1, Integer::sum);
        if (n < PARK_AFTER) {
            return Verdict.RETRYING;
        }
        TargetStatus.ParkedFile now = new TargetStatus.ParkedFile(remotePath, reason,
                Instant.ofEpochMilli(parkedUntilEpochMillis()));
        return parked.put(remotePath, now) == null ? Verdict.PARKED_NOW : Verdict.STILL_PARKED;
    }

    /** Failures in a row of {@code remotePath} so far. */
    int failuresInARow(String remotePath) {
        return failuresInARow.getOrDefault(remotePath, 0);
    }

    /** Wall-clock epoch millis until which a file parked now waits (what the journal records). */
    long parkedUntilEpochMillis() {
        return clock.millis() + PARKED_FOR.toMillis();
    }

    /**
     * {@code remotePath}, sent below {@code subdir} of the target's folder, goes again after the retry delay,
     * {@link #PARKED_FOR} if parked.
     */
    void retryFailed(String remotePath, String subdir) {
        String sourcePath = RelativePath.below(remotePath, subdir) ? RelativePath.rebase(remotePath, subdir, "")
                : remotePath;
        retryLater(sourcePath, RelativePath.join(subdir, sourcePath));
    }

    /** {@code sourcePath} (sent as {@code remotePath}) goes again after the retry delay, {@link #PARKED_FOR} if parked. */
    void retryLater(String sourcePath, String remotePath) {
        Duration wait = parked.containsKey(remotePath) ? PARKED_FOR : retryDelay;
        retryAtNs.merge(sourcePath, clock.nanoTime() + wait.toNanos(), Math::min);
    }

    /** {@code remotePath} went through: it starts counting again; true if it was parked until now. */
    boolean succeeded(String remotePath) {
        failuresInARow.remove(remotePath);
        return parked.remove(remotePath) != null;
    }

    /**
     * The files whose retry is due, as they are in the source ({@code root}) now. One that is gone meanwhile (the
     * pair sends its delete) or is a directory now has nothing left to retry: it leaves the book, so that the target
     * does not stay "retrying" for ever.
     *
     * @param subdir where below the target's folder the source goes
     */
    List<SourceEntry> takeDueFiles(Path root, String subdir) {
        List<SourceEntry> due = new ArrayList<>();
        for (String path : takeDue()) {
            try {
                SourceEntry s = SourceEntry.of(root.resolve(path), path);
                if (!s.directory()) {
                    due.add(s);
                    continue;
                }
            } catch (IOException gone) {
                // deleted meanwhile
            }
            succeeded(RelativePath.join(subdir, path));
        }
        return due;
    }

    /** Takes out the source-relative paths whose retry is due. */
    List<String> takeDue() {
        if (retryAtNs.isEmpty()) {
            return List.of();
        }
        long now = clock.nanoTime();
        List<String> due = new ArrayList<>();
        retryAtNs.entrySet().removeIf(e -> {
            if (e.getValue() - now <= 0) {
                due.add(e.getKey());
                return true;
            }
            return false;
        });
        return due;
    }

    /** Parked files with the reason; any thread. */
    Map<String, String> parked() {
        Map<String, String> reasons = new HashMap<>();
        parked.forEach((path, p) -> reasons.put(path, p.reason()));
        return reasons;
    }

    /** Parked files with the reason and the time of their next try, sorted by path; any thread. */
    List<TargetStatus.ParkedFile> parkedFiles() {
        List<TargetStatus.ParkedFile> files = new ArrayList<>(parked.values());
        files.sort(java.util.Comparator.comparing(TargetStatus.ParkedFile::path));
        return files;
    }

    /** Files that failed and are not parked: they wait for their retry. On the target's thread. */
    int retrying() {
        int n = 0;
        for (String path : failuresInARow.keySet()) {
            if (!parked.containsKey(path)) {
                n++;
            }
        }
        return n;
    }
}
