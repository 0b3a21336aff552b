package dev.ferry.plan;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an unmounted or emptied source from reading as "everything was deleted". A mount point whose filesystem
 * went away is an empty directory (or one on another filesystem); a rescan of it, or a reconcile against a target's
 * listing, would send a DELETE for the whole tree. So before the pair plans anything it asks {@link #allows}, which
 * looks at the source root and says no while:
 *
 * <ul>
 *   <li>the root holds no entry (ignored names aside) although the index or a target's listing holds some; or
 *   <li>the root is on another filesystem (device) than when it was first seen holding entries, normally at start.
 * </ul>
 *
 * While it says no, the pair sends nothing at all (no delete, and no upload from a tree it cannot trust) and keeps
 * its index as it was; it asks again on its normal schedule and goes on once the root holds entries again (on its
 * first filesystem). One ERROR is logged when a pause starts (or changes reason) and one INFO when it ends, not one
 * per rescan. A root that is empty with nothing synced is simply an empty source, and then the filesystem first
 * seen with entries is forgotten, so a daemon started before its source was mounted takes the one mounted later.
 *
 * <p>Runs on the pair's thread, which owns its state (and, before that thread starts, on the thread starting the
 * pair, for the first scan); {@link #paused} and {@link #refusals} may be read from any thread.
 */
public final class SourceGuard {
    private static final Logger log = LoggerFactory.getLogger(SourceGuard.class);

    enum State { SYNCING, EMPTY, OTHER_DEVICE }

    /**
     * What the root looks like at one moment.
     *
     * @param hasEntries whether it holds an entry that is not ignored
     * @param device     its {@code unix:dev}, null where the file system does not tell
     */
    record Look(boolean hasEntries, Object device) {
    }

    private final String pair;
    private final Path root;
    private final Predicate<String> ignored;
    /** What to remove (with the daemon stopped) so that an emptied source may empty its targets. */
    private final Path pairState;
    /** The root's device when it was first seen holding entries; null until then. */
    private Object device;
    private volatile State state = State.SYNCING;
    private final AtomicLong refusals = new AtomicLong();

    /**
     * @param ignored   for a root-relative name, whether it is left out of syncing (so it does not count as an entry)
     * @param pairState the pair's folder in the state directory, named in the ERROR as the way to really empty a pair
     */
    public SourceGuard(String pair, Path root, Predicate<String> ignored, Path pairState) {
        this.pair = pair;
        this.root = root;
        this.ignored = ignored;
        this.pairState = pairState;
    }

    /**
     * Looks at the root now: true if the pair may scan, plan and send, false to skip this round.
     *
     * @param synced how many entries syncing has put on the targets as far as the caller knows (the index's size, or
     *               what a target lists): what an empty root would delete
     * @throws IOException if the root cannot be listed (a missing root, say): the caller must not go on either
     */
    public boolean allows(long synced) throws IOException {
        return decide(look(root, ignored), synced);
    }

    /** {@link #allows} for a given look: the decision, its log line on a change of state, the count. */
    boolean decide(Look now, long synced) {
        State next = next(now, synced);
        if (next != state) {
            report(next, now, synced);
            state = next;
        }
        if (next == State.SYNCING) {
            return true;
        }
        refusals.incrementAndGet();
        return false;
    }

    private State next(Look now, long synced) {
        if (!now.hasEntries()) {
            if (state == State.SYNCING && synced == 0) {
                device = null; // an empty source with nothing to lose: whatever is mounted here next is the source
                return State.SYNCING;
            }
            return State.EMPTY; // once paused, only entries coming back end the pause
        }
        if (device == null) {
            device = now.device();
        }
        return Objects.equals(device, now.device()) ? State.SYNCING : State.OTHER_DEVICE;
    }

    private void report(State next, Look now, long synced) {
        switch (next) {
            case EMPTY -> log.error("pair={} source {} is empty but {} entries were synced from it: deleting nothing on the "
                    + "targets and sending nothing until it holds entries again (unmounted?). To empty the targets on "
                    + "purpose, stop ferry, empty them by hand and remove {}", pair, root, synced, pairState);
            case OTHER_DEVICE -> log.error("pair={} source {} is now on another filesystem (device {}, was {}): deleting "
                    + "nothing on the targets and sending nothing until the first one is back (unmounted?). To sync "
                    + "what is there now instead, restart ferry", pair, root, deviceName(now.device()), deviceName(device));
            case SYNCING -> log.info("pair={} source {} holds entries again on its filesystem (device {}): syncing resumes",
                    pair, root, deviceName(now.device()));
        }
    }

    /** Why the pair is held back, in a few words for status, or null if it is not; any thread. */
    public String reason() {
        return switch (state) {
            case SYNCING -> null;
            case EMPTY -> "source is empty but entries were synced from it (unmounted?)";
            case OTHER_DEVICE -> "source is on another filesystem than before (unmounted?)";
        };
    }

    /** True while the pair is held back; any thread. */
    public boolean paused() {
        return state != State.SYNCING;
    }

    State state() {
        return state;
    }

    /** How many times {@link #allows} said no; any thread. */
    public long refusals() {
        return refusals.get();
    }

    /** Whether the root holds a name that is not ignored, and its device. */
    static Look look(Path root, Predicate<String> ignored) throws IOException {
        boolean entries = false;
        try (DirectoryStream<Path> names = Files.newDirectoryStream(root)) {
            for (Path p : names) {
                if (!ignored.test(p.getFileName().toString())) {
                    entries = true;
                    break;
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        Object dev;
        try {
            dev = Files.getAttribute(root, "unix:dev");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            dev = null; // no "unix" view (jimfs in unit tests): only emptiness is checked
        }
        return new Look(entries, dev);
    }

    /** A Linux dev_t as {@code major:minor}, as /proc/self/mountinfo and {@code mountpoint -d} print it. */
    public static String deviceName(Object dev) {
        if (!(dev instanceof Long d)) {
            return String.valueOf(dev);
        }
        long major = ((d >>> 8) & 0xfffL) | ((d >>> 32) & 0xfffff000L);
        long minor = (d & 0xffL) | ((d >>> 12) & 0xffffff00L);
        return major + ":" + minor;
    }
}
