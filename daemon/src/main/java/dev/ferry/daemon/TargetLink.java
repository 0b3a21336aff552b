package dev.ferry.daemon;

import dev.ferry.config.FerryUri;
import dev.ferry.plan.Delta;
import dev.ferry.push.Backoff;
import dev.ferry.push.PushConnection;
import dev.ferry.push.PushException;
import dev.ferry.push.PushPlan;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import dev.ferry.push.SourceEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target of a pair, on its own virtual thread: it reconciles from the receiver's listing when it (re)connects,
 * then sends the deltas the pair hands it, merged into one plan per round, over one connection kept open while
 * there is work (closed after 10 s idle). A target that cannot be reached
 * is retried with exponential backoff and jitter; its state changes (down, back) are logged once each, not once per
 * attempt. A slow or dead target never holds up the pair or the other targets: deltas just queue here.
 */
final class TargetLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TargetLink.class);

    private final SyncPair pair;
    private final FerryUri uri;
    private final PushSettings settings;
    private final LinkedBlockingDeque<Delta> queue = new LinkedBlockingDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong chunksSent = new AtomicLong();
    private final AtomicLong filesSent = new AtomicLong();
    private final AtomicLong treeOps = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    /** Closed after this long without work, so an idle daemon holds no connection (and no receiver slot). */
    private static final long IDLE_CLOSE_NS = Duration.ofSeconds(10).toNanos();

    /** Open while there is work; files of one round are spread over them. */
    private final PushConnection[] connections;
    private long lastSendNs;
    private volatile boolean down;
    private Thread thread;
    private long startNs;

    /** The target's progress log, in {@code journalDir}; opened by {@link #start}. */
    private final Path journalDir;
    private TargetJournal journal;
    /** Failed sessions in a row per remote path; a path that reaches {@link #PARK_AFTER} is parked. */
    private final Map<String, Integer> failuresInARow = new java.util.HashMap<>();
    private final Map<String, String> parked = new java.util.concurrent.ConcurrentHashMap<>();
    static final int PARK_AFTER = 5;

    TargetLink(SyncPair pair, FerryUri uri, PushSettings settings, int connections, Path journalDir) {
        this.pair = pair;
        this.uri = uri;
        this.settings = settings;
        this.connections = new PushConnection[connections];
        this.journalDir = journalDir;
    }

    String subdir() {
        return uri.subdir();
    }

    FerryUri uri() {
        return uri;
    }

    /** Opens the journal (a corrupt one stops the pair's start), then runs the target's thread. */
    void start() throws java.io.IOException {
        journal = TargetJournal.open(journalDir, uri.toString(), pair.journalCommit());
        startNs = System.nanoTime();
        thread = Thread.ofVirtual().name("ferry-target-" + uri.host() + ":" + uri.port()).start(this::loop);
    }

    /** From the pair's thread: more work. A full (reconcile) delta makes everything queued before it redundant. */
    void submit(Delta b) {
        if (b.full()) {
            queue.clear();
        }
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
                    cameBack(); // it answered: reachable, whatever the backlog still to send
                    pair.post(new SyncPair.ReconcileWith(this, listing));
                    needReconcile = false;
                }
                queueDueRetries();
                Delta first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (System.nanoTime() - lastSendNs > IDLE_CLOSE_NS) {
                        closeConnections();
                    }
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
                wentDown(e);
                sleep(backoff.delay(++failures, ThreadLocalRandom.current()));
            } catch (RuntimeException e) { // a bug must not end this target's thread: log it, start again
                log.error("target={} internal error, reconnecting", uri, e);
                closeConnections();
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
            markReady(deltas);
            return true;
        }
        List<Long> opIds = journal.queued(plan.ops());
        try {
            List<PushResult> results = carryOut(plan);
            journal.done(opIds); // (an op that failed is reported below; the reconcile after a reconnect redoes it)
            lastSendNs = System.nanoTime();
            sessions.incrementAndGet();
            List<String> retry = new ArrayList<>();
            String prefix = uri.subdir().isEmpty() ? "" : uri.subdir() + "/";
            for (PushResult r : results) {
                chunksSent.addAndGet(r.chunksSent());
                filesSent.addAndGet(r.filesSent());
                treeOps.addAndGet(r.treeOps());
                for (PushResult.Failure f : r.failures()) {
                    retry.add(f.path().startsWith(prefix) ? f.path().substring(prefix.length()) : f.path());
                    failed(f);
                }
            }
            cameBack();
            long now = System.nanoTime();
            for (String p : retry) {
                Duration wait = parked.containsKey(prefix + p) ? PARKED_FOR : pair.options().retryDelay();
                retryAt.merge(p, now + wait.toNanos(), Math::min);
            }
            clearSucceeded(plan, results);
            markReady(deltas);
            return true;
        } catch (PushException e) {
            closeConnections();
            wentDown(e);
            for (int i = deltas.size() - 1; i >= 0; i--) {
                queue.addFirst(deltas.get(i));
            }
            return false;
        }
    }

    /**
     * Carries out a plan: with one connection, or few files, all of it on connection 0; otherwise the tree
     * operations first on connection 0, then the files spread over every connection in parallel (the receiver
     * serves each on its own thread, so their verifying, writing and fsyncs overlap), then the directories (last,
     * so their mtimes stick).
     */
    private List<PushResult> carryOut(PushPlan plan) throws PushException {
        int n = connections.length;
        if (n == 1 || plan.files().size() < 2 * n) {
            return List.of(connection(0).send(plan));
        }
        List<PushResult> results = new ArrayList<>();
        if (!plan.ops().isEmpty()) {
            results.add(connection(0).send(new PushPlan(plan.ops(), List.of(), List.of(), Map.of(), List.of())));
        }
        List<List<SourceEntry>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
            connection(i);
        }
        for (int i = 0; i < plan.files().size(); i++) {
            parts.get(i % n).add(plan.files().get(i));
        }
        List<Future<PushResult>> running = new ArrayList<>();
        try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                PushConnection c = connections[i];
                PushPlan part = new PushPlan(List.of(), parts.get(i), List.of(), plan.knownDigests(), List.of());
                running.add(parallel.submit(() -> c.send(part)));
            }
        }
        PushException failure = null;
        for (Future<PushResult> f : running) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                PushException pe = e.getCause() instanceof PushException p ? p : new PushException(e.getCause().toString(), e.getCause());
                if (failure == null) {
                    failure = pe;
                } else {
                    failure.addSuppressed(pe);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PushException("interrupted");
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!plan.directories().isEmpty()) {
            results.add(connection(0).send(new PushPlan(List.of(), List.of(), plan.directories(), Map.of(), List.of())));
        }
        return results;
    }

    private PushConnection connection(int i) throws PushException {
        if (connections[i] == null) {
            connections[i] = PushConnection.open(settings, journal);
        }
        return connections[i];
    }

    private void closeConnections() {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) {
                connections[i].close();
                connections[i] = null;
            }
        }
    }

    /** Files (paths relative to the source root) to send again, and when; owned by this target's thread. */
    private final Map<String, Long> retryAt = new java.util.HashMap<>();

    /** Files whose retry is due go back into the queue, as they are in the source now. */
    private void queueDueRetries() {
        if (retryAt.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<SourceEntry> due = new ArrayList<>();
        for (var it = retryAt.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() <= now) {
                it.remove();
                try {
                    SourceEntry s = SourceEntry.of(pair.root().resolve(e.getKey()), e.getKey());
                    if (!s.directory()) {
                        due.add(s);
                    }
                } catch (java.io.IOException gone) {
                    // deleted meanwhile: the pair sends the delete
                }
            }
        }
        if (!due.isEmpty()) {
            queue.add(new Delta(List.of(), due, List.of(), Map.of(), false));
        }
    }

    /** How long a parked file waits before it is tried again. */
    static final Duration PARKED_FOR = Duration.ofMinutes(10);

    /**
     * One more failure of {@code f.path()} in a row: logged (WARN), and at {@link #PARK_AFTER} in a row the file is
     * parked: logged once with the reason, recorded in the journal, retried every {@link #PARKED_FOR}; the other
     * files go on.
     */
    private void failed(PushResult.Failure f) {
        int n = failuresInARow.merge(f.path(), 1, Integer::sum);
        if (n < PARK_AFTER) {
            log.warn("target={} could not sync {}: {} (retrying)", uri, f.path(), f.reason());
        } else if (parked.put(f.path(), f.reason()) == null) {
            log.warn("target={} parked {} after {} failures in a row: {} (retrying every {})", uri, f.path(), n, f.reason(),
                    PARKED_FOR);
            journal.parked(f.path(), f.reason(), System.currentTimeMillis() + PARKED_FOR.toMillis());
        }
    }

    /** Files of {@code plan} that did not fail this time start counting again (and leave the parked list). */
    private void clearSucceeded(PushPlan plan, List<PushResult> results) {
        java.util.Set<String> failedNow = new java.util.HashSet<>();
        results.forEach(r -> r.failures().forEach(f -> failedNow.add(f.path())));
        for (SourceEntry e : plan.files()) {
            if (!failedNow.contains(e.remotePath())) {
                failuresInARow.remove(e.remotePath());
                if (parked.remove(e.remotePath()) != null) {
                    log.info("target={} synced {} again (no longer parked)", uri, e.remotePath());
                }
            }
        }
    }

    /** The live state of this target's journal (for status and tests). */
    dev.ferry.journal.JournalState journalState() {
        return journal.state();
    }

    /** Files given up on for now, with the reason (for status). */
    Map<String, String> parked() {
        return Map.copyOf(parked);
    }

    /**
     * Before anything else after a start: the tree operations and files the journal says were on their way, sent
     * again (files still in the source, as they are now; the receiver's NEED names the chunks it still lacks).
     */
    private void resumeFromJournal() throws PushException {
        String prefix = uri.subdir().isEmpty() ? "" : uri.subdir() + "/";
        List<PushPlan.TreeOp> ops = new ArrayList<>();
        List<dev.ferry.journal.PendingTreeOp> pending = journal.pendingOps();
        // all of them are settled by this replay: resent below if still true of the source, else left to the reconcile
        List<Long> settled = pending.stream().map(dev.ferry.journal.PendingTreeOp::opId).toList();
        for (var op : pending) {
            switch (op.op()) {
                case dev.ferry.journal.TreeOp.Rename r when !exists(prefix, r.from()) && exists(prefix, r.to()) ->
                        ops.add(new PushPlan.TreeOp.Rename(r.from(), r.to()));
                case dev.ferry.journal.TreeOp.Delete d when !exists(prefix, d.path()) -> ops.add(new PushPlan.TreeOp.Delete(d.path()));
                default -> {
                } // no longer what the source says: the reconcile that follows sorts it out
            }
        }
        List<SourceEntry> files = new ArrayList<>();
        for (var f : journal.unfinished()) {
            if (!f.path().startsWith(prefix)) {
                continue;
            }
            Path local = pair.root().resolve(f.path().substring(prefix.length()));
            try {
                SourceEntry e = SourceEntry.of(local, f.path());
                if (!e.directory()) {
                    files.add(e);
                }
            } catch (java.io.IOException gone) {
                journal.dropped(f.fileId(), "gone from the source");
            }
        }
        if (ops.isEmpty() && files.isEmpty()) {
            journal.done(settled);
            return;
        }
        log.info("target={} resuming {} file(s) and {} operation(s) from its journal", uri, files.size(), ops.size());
        PushPlan plan = new PushPlan(ops, files, List.of(), Map.of(), List.of());
        for (PushResult r : carryOut(plan)) { // (failures are found again by the reconcile that follows)
            chunksSent.addAndGet(r.chunksSent());
            filesSent.addAndGet(r.filesSent());
            treeOps.addAndGet(r.treeOps());
        }
        journal.done(settled);
    }

    private boolean exists(String prefix, String remotePath) {
        if (!remotePath.startsWith(prefix)) {
            return true; // not ours to judge: leave it
        }
        return java.nio.file.Files.exists(pair.root().resolve(remotePath.substring(prefix.length())),
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    private void markReady(List<Delta> deltas) {
        if (ready.getCount() > 0 && deltas.stream().anyMatch(Delta::full)) {
            log.info("sync ready pair={} target={} elapsed={}ms chunks={} files={} ops={}", pair.name(), uri,
                    (System.nanoTime() - startNs) / 1_000_000, chunksSent.get(), filesSent.get(), treeOps.get());
            ready.countDown();
        }
    }

    private void wentDown(PushException e) {
        if (!down) {
            down = true;
            log.warn("target={} is unreachable: {} (retrying with backoff up to {})", uri, e.getMessage(),
                    pair.options().backoffMax());
        }
    }

    private void cameBack() {
        if (down) {
            down = false;
            log.info("target={} is reachable again", uri);
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

    boolean down() {
        return down;
    }

    long chunksSent() {
        return chunksSent.get();
    }

    long treeOps() {
        return treeOps.get();
    }

    @Override
    public void close() {
        stopped.countDown();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnections(); // the thread has ended: nobody else touches them now
        if (journal != null) {
            journal.sync();
            journal.close();
        }
    }
}
