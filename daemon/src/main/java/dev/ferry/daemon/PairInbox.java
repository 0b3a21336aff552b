package dev.ferry.daemon;

import dev.ferry.watch.Change;
import dev.ferry.wire.Frame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pair's inbox: the watcher's changes and the targets' reports, posted from their threads, taken by the pair's
 * thread (or, during the first walk, by the thread that starts the pair). The targets report through it as their
 * {@link TargetLink.Listener}, the first walk takes the listings through it as its {@link FirstWalk.Listings}.
 */
final class PairInbox implements TargetLink.Listener, FirstWalk.Listings {
    private final BlockingQueue<SyncPair.Event> events = new LinkedBlockingQueue<>();

    void add(SyncPair.Event e) {
        events.add(e);
    }

    /** The watcher's sink. */
    void watched(Change c) {
        events.add(new SyncPair.Watched(c));
    }

    @Override
    public void listed(TargetLink target, List<Frame.ListedEntry> listing) {
        events.add(new SyncPair.ReconcileWith(target, listing));
    }

    @Override
    public void firstSyncDone(TargetLink target) {
        events.add(new SyncPair.FirstSynced(target));
    }

    /** The next event, waiting up to {@code waitNs}; null if none came. */
    SyncPair.Event poll(long waitNs) throws InterruptedException {
        return events.poll(waitNs, TimeUnit.NANOSECONDS);
    }

    /** The listings the targets posted so far (the latest per target); what else was posted stays, in order. */
    @Override
    public Map<TargetLink, List<Frame.ListedEntry>> take() {
        List<SyncPair.Event> posted = new ArrayList<>();
        events.drainTo(posted);
        Map<TargetLink, List<Frame.ListedEntry>> listings = new LinkedHashMap<>();
        List<SyncPair.Event> others = new ArrayList<>();
        for (SyncPair.Event e : posted) {
            if (e instanceof SyncPair.ReconcileWith r) {
                listings.put(r.target(), r.listing());
            } else {
                others.add(e);
            }
        }
        if (!others.isEmpty()) { // ahead of what came meanwhile
            List<SyncPair.Event> later = new ArrayList<>();
            events.drainTo(later);
            events.addAll(others);
            events.addAll(later);
        }
        return listings;
    }
}
