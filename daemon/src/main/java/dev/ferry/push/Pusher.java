package dev.ferry.push;

import dev.ferry.time.FerryClock;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * One-shot push of a file or a directory tree to a receiver folder, with rsync's trailing-slash rule
 * (see {@link SourceWalker}). Runs on the caller's thread and returns when every entry is committed or failed.
 */
public final class Pusher {
    private Pusher() {
    }

    /**
     * @param contentsOnly true for "SRC/" (push what is inside SRC, not SRC itself)
     * @param subdir       '/'-separated folder inside the receiver's folder ("" for its root)
     * @throws PushException when the session as a whole fails (connect, auth, connection lost)
     */
    public static PushResult push(Path source, boolean contentsOnly, String subdir, PushSettings settings) throws PushException {
        return push(source, contentsOnly, subdir, settings, DigestCache.NONE);
    }

    /** The same, with the hash lists of big files read in an earlier push taken from {@code digests} and kept there. */
    public static PushResult push(Path source, boolean contentsOnly, String subdir, PushSettings settings, DigestCache digests)
            throws PushException {
        return run(plan(source, contentsOnly, subdir), settings, digests, TransferListener.NONE);
    }

    /** What a push of {@code source} sends (see {@link SourceWalker}); nothing is read but the metadata. */
    public static PushPlan plan(Path source, boolean contentsOnly, String subdir) throws PushException {
        return plan(source, contentsOnly, subdir, path -> false);
    }

    /**
     * The same, leaving out each path {@code excluded} holds, with everything below it; {@code excluded} is asked
     * with '/'-separated paths below {@code source} (or, for a single file, its name).
     */
    public static PushPlan plan(Path source, boolean contentsOnly, String subdir, Predicate<String> excluded)
            throws PushException {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new PushException("source " + source + " does not exist");
        }
        try {
            return SourceWalker.walk(source, contentsOnly, subdir, excluded);
        } catch (IOException e) {
            throw new PushException("cannot list " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The path a push of {@code source} fills on the receiver (relative to its folder root): the single file's or
     * symlink's path, or the directory the pushed contents go into.
     */
    public static String base(Path source, boolean contentsOnly, String subdir) {
        return SourceWalker.base(source, contentsOnly, subdir);
    }

    /** One session that carries out {@code plan}, each file's progress told to {@code listener} on this thread. */
    public static PushResult run(PushPlan plan, PushSettings settings, DigestCache digests, TransferListener listener)
            throws PushException {
        return run(plan, settings, digests, listener, 1);
    }

    /**
     * The same over {@code streams} connections: a big file's missing chunks are split over them (parallel streams,
     * if the receiver agrees); the other connections open only when a file is split. 1: one connection.
     */
    public static PushResult run(PushPlan plan, PushSettings settings, DigestCache digests, TransferListener listener,
                                 int streams) throws PushException {
        if (streams < 1 || streams > MAX_STREAMS) {
            throw new IllegalArgumentException("streams=" + streams + " outside 1.." + MAX_STREAMS);
        }
        PushSession session = new PushSession(settings, plan, digests, FerryClock.system());
        session.listener(listener);
        if (streams == 1) {
            return session.run();
        }
        session.streams(true);
        try (SpareConnections spare = new SpareConnections(settings, FerryClock.system(), streams - 1);
             StripeCrew crew = new StripeCrew(streams - 1, spare, settings.threads(), Duration.ZERO)) { // (asked for)
            return session.run(crew); // (the crew closes first: its stripes end before their connections close)
        }
    }

    /** The most connections one push or one target uses for one file. */
    public static final int MAX_STREAMS = 16;

    /** One session that carries out {@code plan}; returns when every part of it is done or failed. */
    public static PushResult run(PushPlan plan, PushSettings settings) throws PushException {
        return new PushSession(settings, plan).run();
    }

    /** The receiver's listing of {@code subtree} ("" = the whole folder), asked on a thread of its own meanwhile. */
    public static ListingAhead listAhead(PushSettings settings, String subtree) {
        return ListingAhead.start(settings, subtree);
    }

    /** The receiver's listing of a subtree of the folder ("" = all of it). */
    public static java.util.List<dev.ferry.wire.Frame.ListedEntry> list(PushSettings settings, String subtree) throws PushException {
        return PushLink.list(settings, subtree);
    }
}
