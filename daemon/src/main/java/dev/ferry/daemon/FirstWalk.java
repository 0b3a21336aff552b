package dev.ferry.daemon;

import dev.ferry.index.IndexEntry;
import dev.ferry.index.ScanListener;
import dev.ferry.plan.Delta;
import dev.ferry.plan.StreamingReconcile;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pair's first scan at start, the one walk of its source that does three jobs: registers each directory's watch
 * before the directory is listed, brings the index up to date (the {@code Scanner}'s job), and streams the files it
 * finds to every target whose listing has come: every {@value #BATCH_FILES} files or {@link #BATCH_NS} ns of
 * walking, what the target lacks of them is submitted at once ({@link StreamingReconcile}), so the first sync does
 * not wait for the whole tree to be read. The full reconcile after the walk sends the rest (directories, symlinks,
 * deletes) and not the streamed files again.
 *
 * <p>Runs on the thread that starts the pair, before the pair's own thread exists; the targets' listings reach it
 * through {@link Listings}.
 */
final class FirstWalk implements ScanListener {
    static final int BATCH_FILES = 256;
    static final long BATCH_NS = 100_000_000L;
    /** Files kept while no target has listed yet; past this they are left to the reconcile after the walk. */
    static final int HELD_MAX = 8192;

    /** Where the listings come from: those that arrived since the last call, the latest per target. */
    interface Listings {
        Map<TargetLink, List<Frame.ListedEntry>> take();
    }

    /** A target's listing as it came, and with the files streamed to it since (what it will hold once they land). */
    record Listed(List<Frame.ListedEntry> received, List<Frame.ListedEntry> withStreamed) {
    }

    private final SourceWatch watch;
    private final Listings listings;
    private final Path root;
    private final FerryClock clock;
    private final boolean stream;
    private final FirstWalkProbe probe;
    private final Map<TargetLink, List<Frame.ListedEntry>> received = new LinkedHashMap<>();
    private final Map<TargetLink, StreamingReconcile> streams = new LinkedHashMap<>();
    private List<IndexEntry> pending = new ArrayList<>();
    private long lastFlushNs;
    private long filesStreamed;

    /**
     * @param watch  the watch whose directories are registered on the way; null when the pair does not watch
     * @param stream false for {@code verify: checksum}, whose reconcile offers every file anyway
     */
    FirstWalk(SourceWatch watch, Listings listings, Path root, FerryClock clock, boolean stream, FirstWalkProbe probe) {
        this.watch = watch;
        this.listings = listings;
        this.root = root;
        this.clock = clock;
        this.stream = stream;
        this.probe = probe;
        this.lastFlushNs = clock.nanoTime();
    }

    @Override
    public void listing(String dir) {
        if (watch != null) {
            watch.directory(dir);
        }
    }

    @Override
    public void found(IndexEntry entry) {
        if (!stream || entry.kind() != EntryKind.FILE) {
            return;
        }
        pending.add(entry);
        if (pending.size() >= BATCH_FILES || clock.nanoTime() - lastFlushNs >= BATCH_NS) {
            flush();
        }
    }

    private void flush() {
        lastFlushNs = clock.nanoTime();
        listings.take().forEach((target, listing) -> {
            received.put(target, listing);
            streams.put(target, new StreamingReconcile(listing, root, target.subdir()));
        });
        if (streams.isEmpty()) {
            if (pending.size() > HELD_MAX) {
                pending = new ArrayList<>();
            }
        } else {
            for (Map.Entry<TargetLink, StreamingReconcile> s : streams.entrySet()) {
                Delta delta = s.getValue().batch(pending);
                if (!delta.isEmpty()) {
                    s.getKey().submitAfterQueued(delta);
                    filesStreamed += delta.files().size();
                }
            }
            pending = new ArrayList<>();
        }
        probe.flushed(streams.size(), filesStreamed);
    }

    /** Ends the walk: streams what is pending and says, per target that listed meanwhile, what it listed. */
    Map<TargetLink, Listed> finish() {
        flush();
        Map<TargetLink, Listed> listed = new LinkedHashMap<>();
        received.forEach((target, listing) -> listed.put(target, new Listed(listing,
                streams.get(target).listingWithSent())));
        return listed;
    }

    /** Files submitted to targets during the walk (a file sent to two targets counts twice). */
    long filesStreamed() {
        return filesStreamed;
    }
}
