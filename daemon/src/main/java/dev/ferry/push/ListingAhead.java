package dev.ferry.push;

import dev.ferry.wire.Frame;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A receiver's LIST of a subtree, asked on a connection and a thread of its own ({@code ferry-push-list}) while the
 * caller walks the source: a one-shot push needs both before it plans, and the two walks (the receiver's and the
 * source's) then overlap instead of following each other. The caller's thread waits in {@link #await}; it needs no
 * deadline of its own, as every read of the listing connection has one (the read timeout).
 */
public final class ListingAhead {
    private final FutureTask<List<Frame.ListedEntry>> task;

    private ListingAhead(FutureTask<List<Frame.ListedEntry>> task) {
        this.task = task;
    }

    /** Starts listing {@code subtree} ("" = the whole folder) on the receiver {@code settings} name. */
    static ListingAhead start(PushSettings settings, String subtree) {
        ListingAhead ahead = new ListingAhead(new FutureTask<>(() -> PushLink.list(settings, subtree)));
        settings.threads().start("ferry-push-list", ahead.task);
        return ahead;
    }

    /** The listing, once it is all there; the listing's failure as it was. */
    public List<Frame.ListedEntry> await() throws PushException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PushException p) {
                throw p;
            }
            throw new PushException("listing the receiver failed: " + e.getCause(), e.getCause());
        }
    }
}
