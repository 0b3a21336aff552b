package dev.ferry.receive;

import dev.ferry.logging.Activity;
import dev.ferry.time.FerryClock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one session changed in its folder, for the receiver's one INFO line per batch of activity (each file,
 * delete and rename is a DEBUG line of its own): {@code received folder=photos peer=10.0.0.2:51234 files=1200
 * bytes=48.2 MiB deletes=3 renames=1 in 2.4s}. The line is written when the session ends, and while a long session
 * goes on, after each minute of activity; a session that changed nothing (a listing, only unchanged files) writes
 * none. {@code bytes} is the size of the files committed (chunks reused or resumed included); {@code in} runs from the
 * first file or operation of the batch to the last one finished, so the idle time before a sender closes its
 * connection is not counted. Owned by the session's thread; the session's handlers report to it.
 */
final class SessionTally {
    /** A long session writes its line at most this often. */
    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(Receiver.class);

    private final String folder;
    private final String peer;
    private final FerryClock clock;
    private boolean active;
    private long firstNs;
    private long lastNs;
    private int files;
    private long bytes;
    private int unchanged;
    private int deletes;
    private int renames;
    private int symlinks;
    private int failed;

    SessionTally(String folder, String peer, FerryClock clock) {
        this.folder = folder;
        this.peer = peer;
        this.clock = clock;
    }

    /** A file was offered or a tree operation arrived: the batch starts now if none has started. */
    void began() {
        if (!active) {
            active = true;
            firstNs = clock.nanoTime();
            lastNs = firstNs;
        }
    }

    void committed(long size) {
        files++;
        bytes += size;
        finished();
    }

    void unchanged() {
        unchanged++;
        finished();
    }

    void deleted() {
        deletes++;
        finished();
    }

    void renamed() {
        renames++;
        finished();
    }

    void symlinked() {
        symlinks++;
        finished();
    }

    void failed() {
        failed++;
        finished();
    }

    /** The session ends: the last line, if anything changed since the previous one. */
    void close() {
        report();
    }

    private void finished() {
        began();
        lastNs = clock.nanoTime();
        if (lastNs - firstNs >= EVERY.toNanos()) {
            report();
        }
    }

    private void report() {
        String line = line();
        if (line != null) {
            log.info(line);
        }
        active = false;
        files = 0;
        bytes = 0;
        unchanged = 0;
        deletes = 0;
        renames = 0;
        symlinks = 0;
        failed = 0;
    }

    /** The summary of the batch so far; null when it changed nothing. */
    String line() {
        return new Activity(files, bytes, deletes, renames, symlinks, unchanged, failed)
                .line("received folder=" + folder + " peer=" + peer, Duration.ofNanos(lastNs - firstNs));
    }
}
