package dev.ferry.daemon;

import dev.ferry.config.FerryUri;
import dev.ferry.config.SyncConfig;
import dev.ferry.config.Verify;
import dev.ferry.index.ScanResult;
import dev.ferry.index.Scanner;
import dev.ferry.index.SourceIndex;
import dev.ferry.plan.DeferredDeletes;
import dev.ferry.plan.Delta;
import dev.ferry.plan.IgnoreRules;
import dev.ferry.plan.Planner;
import dev.ferry.plan.Reconciler;
import dev.ferry.plan.SettlingPaths;
import dev.ferry.plan.SourceGuard;
import dev.ferry.status.LatencyRecorder;
import dev.ferry.status.PairStatus;
import dev.ferry.status.TargetStatus;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import dev.ferry.watch.Change;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source folder kept mirrored to its targets. Its own virtual thread owns the index and is the only one to touch
 * it; the watcher and the targets talk to it through its inbox. Changes settle for {@code debounce} (bursts on one
 * path merge into one), then each settled path is stat'ed and compared with the index: new or changed entries become
 * uploads, vanished ones deletes, and a path that reappears with the inode of a vanished one becomes a rename (a
 * moved folder travels as one RENAME, not as its bytes). The same delta goes to every target.
 *
 * <p>Nothing is planned while its {@link SourceGuard} holds it back (the source looks unmounted or emptied): changes
 * are dropped, listings from targets are held, and the rescan that ends the pause catches up.
 */
final class SyncPair {
    private static final Logger log = LoggerFactory.getLogger(SyncPair.class);

    sealed interface Event {
    }

    record Watched(Change change) implements Event {
    }

    record ReconcileWith(TargetLink target, List<Frame.ListedEntry> listing) implements Event {
    }

    record FirstSynced(TargetLink target) implements Event {
    }

    record Stop() implements Event {
    }

    private final SyncConfig config;
    private final PairOptions options;
    private final Path root;
    private final String name;
    private final FerryClock clock;
    private final PairInbox inbox = new PairInbox();
    private final SettlingPaths settling;
    /** Vanished paths held back for a moment, in case they reappear elsewhere (a move arrives as delete + create). */
    private final DeferredDeletes deferredDeletes;
    /** Added to while the pair starts, read by status from any thread. */
    private final List<TargetLink> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Replaced by the saved one when a scan turns out to have read a source that was going away. */
    private SourceIndex index;
    private final Scanner scanner;
    private final IgnoreRules ignored;
    private final Path indexFile;
    private final SourceGuard guard;
    /** Listings that arrived while the guard held the pair back, reconciled once it lets go (the latest per target). */
    private final Map<TargetLink, List<Frame.ListedEntry>> heldReconciles = new LinkedHashMap<>();
    private volatile int reconcilesHeld;
    /** Null when the options say not to watch (tests of the rescan path). */
    private volatile SourceWatch watch;
    private Thread thread;
    /** Set when the thread starts. */
    private PairTimers timers;
    /** Full scans of the source done (the one at start included); read by tests on other threads. */
    private final AtomicLong fullScans = new AtomicLong();

    /** Whether {@link PairOptions#afterFirstSync()} ran (once, when every target has had its first sync). */
    private boolean heapTrimmed;

    /** When the watcher saw each file change, for the targets' latency observations. */
    private final ChangeTimes changeTimes;

    /** @param latency where the targets record how long a watched change took to be committed */
    SyncPair(SyncConfig config, Path stateDir, PairOptions options, FerryClock clock, LatencyRecorder latency)
            throws IOException {
        this.config = config;
        this.options = options.with(config.debounce(), config.rescanInterval());
        this.clock = clock;
        this.settling = new SettlingPaths(clock, this.options.debounce());
        this.deferredDeletes = new DeferredDeletes(clock, this.options.renameWindow());
        this.root = config.source().toRealPath();
        this.name = root.toString();
        this.ignored = IgnoreRules.of(config.ignore(), root);
        this.indexFile = stateDir.resolve("pair-" + pairId(root)).resolve("index.bin");
        this.index = SourceIndex.load(indexFile);
        this.scanner = new Scanner(root, HashAlgorithm.XXH3_128, config.chunkSize(), ignored);
        this.guard = new SourceGuard(name, root, scanner::ignores, indexFile.getParent());
        this.changeTimes = new ChangeTimes(clock, latency, config.targets().size());
    }

    static String pairId(Path root) {
        byte[] b = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return HexFormat.of().formatHex(dev.ferry.hash.ChunkDigester.of(HashAlgorithm.XXH3_128).digest(b, 0, b.length), 0, 8);
    }

    List<TargetLink> targets() {
        return targets;
    }

    /** The sync entry this pair runs (a reload compares it with the file's). */
    SyncConfig config() {
        return config;
    }

    /**
     * Starts the targets (they list their receivers meanwhile), then walks the source once: the walk registers each
     * directory's watch before listing it (so nothing changed during the walk is missed), brings the index up to
     * date and streams the files it finds to the targets that have listed ({@link FirstWalk}); then starts the
     * pair's thread. On failure the caller closes the pair, which stops whatever had started.
     */
    void start() throws IOException {
        long t0 = clock.nanoTime();
        PairContext context = new PairContext(name, root, options, config.journalCommit(), clock, changeTimes);
        for (FerryUri uri : config.targets()) {
            targets.add(new TargetLink(context, uri, options.pushSettings(uri, config, clock), config.connections(),
                    indexFile.resolveSibling("target-" + pairId(Path.of(uri.location()))), inbox));
        }
        timers = new PairTimers(clock, options.rescanEvery());
        for (TargetLink t : targets) {
            // opens its journal first: a corrupt one stops the pair here, and the caller's close(Deadline) rolls
            // back what had started (the targets before it)
            t.start();
        }
        if (options.watch()) {
            watch = SourceWatch.prepare(root, ignored, inbox::watched, clock);
        }
        int before = index.size();
        if (guard.allows(before)) {
            FirstWalk walk = new FirstWalk(watch, inbox, root, clock, config.verify() != Verify.CHECKSUM,
                    options.firstWalkProbe());
            ScanResult first = scanner.scan("", index, walk);
            Map<TargetLink, FirstWalk.Listed> listed = walk.finish();
            if (watch != null) {
                watch.start();
            }
            boolean trusted = scanTrusted(!first.removed().isEmpty(), before);
            if (trusted) {
                fullScans.incrementAndGet();
                index.save();
                log.info("pair={} watching {} directories, indexed {} files ({} hashed) in {} ms; {} files streamed"
                        + " to targets meanwhile", name, watchedDirectories(), first.files(), scanner.filesHashed(),
                        (clock.nanoTime() - t0) / 1_000_000, walk.filesStreamed());
            }
            for (Map.Entry<TargetLink, FirstWalk.Listed> l : listed.entrySet()) {
                reconcile(l.getKey(), l.getValue().received(), trusted ? l.getValue().withStreamed() : null);
            }
        }
        if (watch != null && !watch.started()) {
            watch.startWalking();
        }
        if (guard.paused()) {
            log.info("pair={} watching {} directories; the source is not scanned while it is held back", name,
                    watchedDirectories());
        }
        thread = Thread.ofVirtual().name("ferry-pair").start(this::loop);
    }

    private int watchedDirectories() {
        return watch == null ? 0 : watch.watchedDirectories();
    }

    void post(Event e) {
        inbox.add(e);
    }

    private void loop() {
        try {
            while (true) {
                Event e = inbox.poll(waitNs());
                if (e instanceof Stop) {
                    return;
                }
                try {
                    if (e != null) {
                        handle(e);
                    }
                    flushDue();
                    periodic();
                } catch (IOException | RuntimeException ex) {
                    // e.g. the source folder is gone (unmounted, deleted): never read that as "delete everything";
                    // try again with a full rescan a little later
                    log.error("pair={} could not process changes ({}); full rescan in {}", name, ex.toString(),
                            PairTimers.ERROR_PAUSE);
                    settling.clear();
                    timers.failed();
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            saveQuietly();
        }
    }

    private long waitNs() {
        long next = deferredDeletes.nextDueNs(settling.nextDueNs(timers.nextDueNs()));
        return clock.nanosUntil(next);
    }

    private void handle(Event e) throws IOException {
        switch (e) {
            case Watched w -> {
                switch (w.change()) {
                    case Change.PathChanged p -> {
                        settling.changed(p.path().text());
                        changeTimes.seen(root.resolve(p.path().text()));
                    }
                    case Change.Rescan r -> settling.rescan(r.path().text());
                }
            }
            case ReconcileWith r -> reconcile(r.target(), r.listing(), null);
            case FirstSynced f -> {
                if (!heapTrimmed && targets.stream().allMatch(TargetLink::ready)) {
                    // the start's walk and listings grew the heap; give it back now that the pair has settled
                    heapTrimmed = true;
                    options.afterFirstSync().run();
                }
            }
            case Stop s -> {
            }
        }
    }

    /**
     * @param withStreamed after the first walk: {@code listing} with the files streamed to the target during the
     *                     walk, which the reconcile then leaves out (and queues after them); else null
     */
    private void reconcile(TargetLink target, List<Frame.ListedEntry> listing, List<Frame.ListedEntry> withStreamed)
            throws IOException {
        long deletable = config.delete() ? Reconciler.deletable(listing, target.subdir(), ignored) : 0;
        if (!sourceTrusted(Math.max(index.size(), deletable))) {
            heldReconciles.put(target, listing); // reconciled later as listed: streamed files are then sent again
            reconcilesHeld = heldReconciles.size();
            return;
        }
        if (withStreamed == null) {
            target.submit(Reconciler.diff(index, listing, root, target.subdir(), config.delete(), ignored,
                    config.verify() == Verify.CHECKSUM));
        } else {
            target.submitAfterQueued(Reconciler.diff(index, withStreamed, root, target.subdir(), config.delete(),
                    ignored, config.verify() == Verify.CHECKSUM));
        }
    }

    /** Asks the guard; on the way back from a pause also asks for the full rescan that catches up on what was skipped. */
    private boolean sourceTrusted(long synced) throws IOException {
        boolean wasPaused = guard.paused();
        if (!guard.allows(synced)) {
            return false;
        }
        if (wasPaused) {
            settling.rescan("");
        }
        return true;
    }

    /**
     * After a scan that took entries out of the index: if the source now looks unmounted or emptied, the scan read a
     * tree going away, so its conclusions are dropped and the index saved last (between plans) comes back. What
     * was sent since that save is looked at again by the rescan that ends the pause.
     */
    private boolean scanTrusted(boolean removedSome, int indexedBefore) throws IOException {
        if (!removedSome || guard.allows(indexedBefore)) {
            return true;
        }
        index = SourceIndex.load(indexFile);
        return false;
    }

    private void periodic() {
        if (timers.rescanDue()) {
            settling.rescan("");
        }
        if (timers.saveDue()) {
            saveQuietly();
        }
    }

    /** Plans every path whose debounce has run out, and every pending rescan, as one delta for all targets. */
    private void flushDue() throws IOException {
        TreeSet<String> paths = settling.takeSettled();
        Set<String> confirmed = deferredDeletes.takeDue();
        paths.addAll(confirmed);
        if (paths.isEmpty() && !settling.hasRescans()) {
            return;
        }
        if (!sourceTrusted(index.size())) {
            // dropped, as the paths were: the full rescan that ends the pause finds what they were about
            settling.takeRescans();
            return;
        }
        List<String> scanRoots = settling.takeRescans();
        int before = index.size();
        Delta delta = new Planner(index, scanner, ignored, root, deferredDeletes, confirmed, fullScans::incrementAndGet)
                .plan(paths, scanRoots);
        if (!scanTrusted(delta.deletes(), before)) {
            return;
        }
        if (log.isDebugEnabled()) {
            log.debug("pair={} paths={} rescans={} -> ops={} files={} dirs={}", name, paths.size(), scanRoots, delta.ops(),
                    delta.files().size(), delta.directories().size());
        }
        if (!delta.isEmpty()) {
            targets.forEach(t -> t.submit(delta));
        }
        if (!heldReconciles.isEmpty()) {
            heldReconciles.forEach((t, listing) -> t.submit(Reconciler.diff(index, listing, root, t.subdir(), config.delete(),
                    ignored, config.verify() == Verify.CHECKSUM)));
            heldReconciles.clear();
            reconcilesHeld = 0;
        }
    }

    private void saveQuietly() {
        try {
            index.save();
        } catch (IOException e) {
            log.warn("pair={} could not save its index to {}: {}", name, indexFile, e.toString());
        }
    }

    /** This pair now, for status; any thread (the targets list is fixed once started). */
    PairStatus status() {
        String guardReason = guard.reason();
        List<TargetStatus> ts = new ArrayList<>();
        for (TargetLink t : List.copyOf(targets)) {
            if (t.started()) {
                ts.add(t.status(guardReason));
            }
        }
        return new PairStatus(name, watchedDirectories(), guardReason, ts);
    }

    SourceGuard guard() {
        return guard;
    }

    /** Targets whose listing waits for the guard to let the pair go on; any thread. */
    int reconcilesHeld() {
        return reconcilesHeld;
    }

    long fullScans() {
        return fullScans.get();
    }

    long filesHashed() {
        return scanner.filesHashed();
    }

    /** Stops the targets, then the pair's thread (which saves the index), waiting no longer than {@code deadline}. */
    void close(Deadline deadline) {
        targets.forEach(t -> t.close(deadline));
        if (thread != null) {
            inbox.add(new Stop());
            try {
                deadline.join(thread);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (watch != null) {
            watch.close();
        }
    }
}
