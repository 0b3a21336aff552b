package dev.ferry.daemon;

import dev.ferry.config.Durations;
import dev.ferry.config.FerryUri;
import dev.ferry.journal.JournalState;
import dev.ferry.plan.Delta;
import dev.ferry.push.Backoff;
import dev.ferry.push.PushException;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.push.SourceEntry;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import dev.ferry.time.Deadline;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target of a pair, on its own virtual thread: it resends what its journal says was on its way, reports the
 * receiver's listing to its {@link Listener} whenever it (re)connects (the pair answers with a reconcile delta), then
 * sends the deltas the pair hands it, merged into one plan per round, over its {@link ConnectionPool}. A target that
 * cannot be reached is retried with exponential backoff and jitter; its state changes (down, back) are logged once
 * each, not once per attempt. Files that fail there go to its {@link RetryBook}. A slow or dead target never holds
 * up the pair or the other targets: deltas just queue here.
 */
final class TargetLink {
    private static final Logger log = LoggerFactory.getLogger(TargetLink.class);

    /** How a target reports to its owner; called on the target's thread. */
    interface Listener {
        /** {@code target}'s receiver holds {@code listing}: what to send it is to be worked out again from that. */
        void listed(TargetLink target, List<Frame.ListedEntry> listing);

        /** {@code target} carried out its first reconcile since it started. */
        void firstSyncDone(TargetLink target);
    }

    private final PairContext pair;
    private final FerryUri uri;
    private final PushSettings settings;
    private final int connectionCount;
    private final Listener listener;
    private final RetryBook retries;
    private final LinkedBlockingDeque<Delta> queue = new LinkedBlockingDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final TargetCounters counters = new TargetCounters();
    /** Set by {@link #start}: what the connections are doing, for status. */
    private TargetActivity activity;
    private volatile Instant lastSync;
    /** Files that failed and wait for their retry, parked ones aside (set by the target's thread). */
    private volatile int retrying;
    /** Whether the receiver can be talked to (each change logged once); AUTH_FAILED retries every backoffMax. */
    private final TargetReach reach;
    private volatile Thread thread;
    private long startNs;

    /** The target's progress log, in {@code journalDir}; opened by {@link #start}, as is the pool reporting to it. */
    private final Path journalDir;
    private TargetJournal journal;
    private ConnectionPool pool;

    TargetLink(PairContext pair, FerryUri uri, PushSettings settings, int connections, Path journalDir,
               Listener listener) {
        this.pair = pair;
        this.uri = uri;
        this.settings = settings;
        this.connectionCount = connections;
        this.journalDir = journalDir;
        this.listener = listener;
        this.retries = new RetryBook(pair.clock(), pair.options().retryDelay());
        this.reach = new TargetReach(uri.toString(), pair.options().backoffMax(), settings.pin().isPresent());
    }

    String subdir() {
        return uri.subdir();
    }

    FerryUri uri() {
        return uri;
    }

    /** Whether {@link #start} went through (status skips a target whose start failed). */
    boolean started() {
        return thread != null;
    }

    /** Opens the journal (a corrupt one stops the pair's start), then runs the target's thread. */
    void start() throws IOException {
        journal = TargetJournal.open(journalDir, uri.toString(), pair.journalCommit(), pair.clock());
        activity = new TargetActivity(journal, pair.changeTimes(), new RateWindow(pair.clock()));
        pool = new ConnectionPool(settings, activity, connectionCount, pair.clock());
        startNs = pair.clock().nanoTime();
        thread = Thread.ofVirtual().name("ferry-target-" + uri.host() + ":" + uri.port()).start(this::loop);
    }

    /** From the pair's thread: more work. A full (reconcile) delta makes everything queued before it redundant. */
    void submit(Delta b) {
        if (b.full()) {
            queue.clear();
        }
        queue.add(b);
    }

    /**
     * From the pair's first walk: more work, after what is queued, even for a full delta (the reconcile after the
     * walk leaves out the files streamed during it, which may still be queued here).
     */
    void submitAfterQueued(Delta b) {
        queue.add(b);
    }

    private void loop() {
        Backoff backoff = new Backoff(pair.options().backoffMin(), pair.options().backoffMax());
        int failures = 0;
        boolean needReconcile = true;
        boolean needResume = true;
        while (stopped.getCount() > 0) {
            try {
                if (needResume) {
                    resumeFromJournal();
                    needResume = false;
                }
                if (needReconcile) {
                    List<Frame.ListedEntry> listing = Pusher.list(settings, uri.subdir());
                    reach.cameBack(); // it answered: reachable, whatever the backlog still to send
                    listener.listed(this, listing);
                    needReconcile = false;
                }
                queueDueRetries();
                Delta first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    pool.closeIfIdle();
                    continue;
                }
                List<Delta> deltas = new ArrayList<>();
                deltas.add(first);
                queue.drainTo(deltas);
                if (!send(deltas)) {
                    needReconcile = true; // the session broke: start again from what the receiver really holds
                    sleep(backoff.delay(++failures, ThreadLocalRandom.current()));
                    continue;
                }
                failures = 0;
            } catch (PushException e) {
                if (stopped.getCount() == 0) {
                    return; // stopping: the connection was cut on purpose, not lost
                }
                if (e.credentialsRefused()) {
                    counters.authFailed();
                    reach.refusedCredentials(e.getMessage());
                    sleep(pair.options().backoffMax()); // a wrong token stays wrong: no quick retries
                    continue;
                }
                reach.wentDown(e.getMessage());
                sleep(backoff.delay(++failures, ThreadLocalRandom.current()));
            } catch (RuntimeException e) { // a bug must not end this target's thread: log it, start again
                log.error("target={} internal error, reconnecting", uri, e);
                pool.close();
                needReconcile = true;
                sleep(backoff.delay(++failures, ThreadLocalRandom.current()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One session for the merged deltas; false if the session itself failed (the deltas are queued again). */
    private boolean send(List<Delta> deltas) {
        PushPlan plan = Delta.merge(deltas, uri.subdir());
        if (plan.isEmpty()) {
            if (queue.isEmpty()) {
                lastSync = pair.clock().instant();
            }
            markReady(deltas);
            return true;
        }
        List<Long> opIds = journal.queued(plan.ops());
        activity.planStarts(plan);
        long startNs = pair.clock().nanoTime();
        try {
            List<PushResult> results = pool.carryOut(plan);
            String summary = RoundSummary.of(plan, results, Duration.ofNanos(pair.clock().nanoTime() - startNs))
                    .line(pair.name(), uri.toString());
            if (summary != null) {
                log.info(summary);
            }
            journal.done(opIds); // (an op that failed is reported below; the reconcile after a reconnect redoes it)
            pool.used();
            List<PushResult.Failure> failed = new ArrayList<>();
            for (PushResult r : results) {
                count(r);
                failed.addAll(r.failures());
                r.failures().forEach(this::failed);
            }
            reach.cameBack();
            counters.treeEditsDone(plan, failed);
            failed.forEach(f -> retries.retryFailed(f.path(), uri.subdir()));
            clearSucceeded(plan, failed);
            retrying = retries.retrying();
            if (failed.isEmpty()) {
                reach.roundClean();
            }
            if (queue.isEmpty()) {
                lastSync = pair.clock().instant();
            }
            markReady(deltas);
            return true;
        } catch (PushException e) {
            pool.close();
            reach.wentDown(e.getMessage());
            activity.planEnded(); // before the deltas go back: status must not count their files twice
            for (int i = deltas.size() - 1; i >= 0; i--) {
                queue.addFirst(deltas.get(i));
            }
            return false;
        } finally {
            activity.planEnded();
        }
    }

    private void count(PushResult r) {
        counters.add(r);
    }

    /** Files whose retry is due go back into the queue, as they are in the source now. */
    private void queueDueRetries() {
        List<SourceEntry> due = retries.takeDueFiles(pair.root(), uri.subdir());
        retrying = retries.retrying();
        if (!due.isEmpty()) {
            queue.add(new Delta(List.of(), due, List.of(), Map.of(), false));
        }
    }

    /**
     * One more failure of {@code f.path()} in a row: logged (WARN), and at {@link RetryBook#PARK_AFTER} in a row the
     * file is parked: logged once with the reason, recorded in the journal, retried every
     * {@link RetryBook#PARKED_FOR}; the other files go on.
     */
    private void failed(PushResult.Failure f) {
        reach.fileFailed(f.path() + ": " + f.reason());
        switch (retries.failed(f.path(), f.reason())) {
            case RETRYING -> log.warn("could not sync pair={} path={} target={}: {} (retrying)", pair.name(), f.path(), uri,
                    f.reason());
            case PARKED_NOW -> {
                log.warn("parked pair={} path={} target={} after {} failures in a row: {} (retrying every {})", pair.name(),
                        f.path(), uri, retries.failuresInARow(f.path()), f.reason(), Durations.format(RetryBook.PARKED_FOR));
                journal.parked(f.path(), f.reason(), retries.parkedUntilEpochMillis());
            }
            case STILL_PARKED -> {
            }
        }
    }

    /** Files of {@code plan} that did not fail this time start counting again (and leave the parked list). */
    private void clearSucceeded(PushPlan plan, List<PushResult.Failure> failed) {
        Set<String> failedNow = new HashSet<>();
        failed.forEach(f -> failedNow.add(f.path()));
        for (SourceEntry e : plan.files()) {
            if (!failedNow.contains(e.remotePath()) && retries.succeeded(e.remotePath())) {
                log.info("synced pair={} path={} target={} again (no longer parked)", pair.name(), e.remotePath(), uri);
            }
        }
    }

    /** The live state of this target's journal (for status and tests). */
    JournalState journalState() {
        return journal.state();
    }

    /** Files given up on for now, with the reason (for status). */
    Map<String, String> parked() {
        return retries.parked();
    }

    /** Before anything else after a start: what the journal says was on its way, sent again. */
    private void resumeFromJournal() throws PushException {
        JournalResume resume = JournalResume.of(journal, pair.root(), uri.subdir());
        if (!resume.plan().isEmpty()) {
            log.info("target={} resuming {} file(s) and {} operation(s) from its journal", uri,
                    resume.plan().files().size(), resume.plan().ops().size());
            // (failures are found again by the reconcile that follows)
            pool.carryOut(resume.plan()).forEach(this::count);
        }
        journal.done(resume.settled());
    }

    private void markReady(List<Delta> deltas) {
        if (ready.getCount() > 0 && deltas.stream().anyMatch(Delta::full)) {
            log.info("sync ready pair={} target={} elapsed={}ms chunks={} files={} ops={}", pair.name(), uri,
                    (pair.clock().nanoTime() - startNs) / 1_000_000, counters.chunksSent(), counters.filesSent(),
                    counters.treeOps());
            lastSync = pair.clock().instant();
            ready.countDown();
            listener.firstSyncDone(this);
        }
    }

    private void sleep(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the first reconcile has been carried out. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the first reconcile has been carried out; any thread. */
    boolean ready() {
        return ready.getCount() == 0;
    }

    boolean down() {
        return reach.state() == TargetReach.State.DOWN;
    }

    /** The receiver refuses this pair's token (status: auth-failed). */
    boolean authFailed() {
        return reach.state() == TargetReach.State.AUTH_FAILED;
    }

    long chunksSent() {
        return counters.chunksSent();
    }

    long treeOps() {
        return counters.treeOps();
    }

    /**
     * This target now, for status; any thread.
     *
     * @param guardReason why the pair's source guard holds it back, or null
     */
    TargetStatus status(String guardReason) {
        List<Delta> queued = List.copyOf(queue);
        long files = TargetStates.files(queued) + activity.planFilesLeft();
        List<TargetStatus.ParkedFile> parkedFiles = retries.parkedFiles();
        SyncState state = TargetStates.decide(guardReason != null, authFailed(), down(),
                ready.getCount() > 0, files, retrying, parkedFiles.size());
        return new TargetStatus(uri.toString(), state, files, TargetStates.bytes(queued) + activity.planBytesLeft(),
                activity.inFlight(), activity.bytesPerSecond(), lastSync, reach.lastError(), parkedFiles,
                counters.snapshot(activity.nacksByReason(), pool.openConnections(), journal.bytesOnDisk()));
    }

    /** Stops the thread, waiting no longer than {@code deadline}, then closes the connections and the journal. */
    void close(Deadline deadline) {
        stopped.countDown();
        if (thread != null) {
            thread.interrupt();
            try {
                deadline.join(thread);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pool != null) {
            pool.close(); // the thread has ended: nobody else touches the connections now
        }
        if (journal != null) {
            journal.sync();
            journal.close();
        }
    }
}
