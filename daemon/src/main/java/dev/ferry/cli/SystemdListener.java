package dev.ferry.cli;

import dev.ferry.daemon.Daemon;
import dev.ferry.service.SystemdNotifier;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.PairStatus;
import dev.ferry.status.SyncState;
import dev.ferry.status.TargetStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The daemon's life as systemd hears it ({@code Type=notify}, systemd/ferry.service): {@code READY=1} with a one-line
 * status once the daemon runs ({@link #started}: after {@code Daemon.start} has returned, so the receiver listens
 * and every pair has started), {@code RELOADING=1} when a SIGHUP reload begins and {@code READY=1} with the new status
 * when it is over (applied or refused), {@code STOPPING=1} when a stop begins. Without {@code $NOTIFY_SOCKET} the
 * notifier does nothing. Threads: main (start, reloads and the stop all run there, see {@code Signals}).
 */
final class SystemdListener implements Daemon.Listener {
    private final SystemdNotifier systemd;
    /** Set by {@link #started}; a reload comes only after it. */
    private volatile Daemon daemon;
    /** Sends STATUS= while the daemon runs; null without systemd. */
    private volatile Thread refresher;
    /** How often the STATUS= line is looked at again (sent only when it changed). */
    static final java.time.Duration REFRESH = java.time.Duration.ofSeconds(5);

    SystemdListener(SystemdNotifier systemd) {
        this.systemd = systemd;
    }

    /**
     * The daemon runs: READY=1. ({@link #ready} comes from inside {@code Daemon.start}, before there is a daemon.)
     * Then, under systemd only, the STATUS= line follows what the targets do, looked at every {@link #REFRESH}.
     */
    void started(Daemon running) {
        daemon = running;
        systemd.ready(statusLine(running));
        if (systemd.enabled()) {
            refresher = Thread.ofVirtual().name("ferry-systemd-status").start(this::refresh);
        }
    }

    /** Sends the STATUS= line again whenever it changed, until the stop. */
    private void refresh() {
        String last = "";
        try {
            while (true) {
                Thread.sleep(REFRESH);
                Daemon d = daemon;
                String now = statusLine(d);
                if (!now.equals(last)) {
                    systemd.status(now);
                    last = now;
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            // a status that cannot be taken (the daemon is stopping): no more STATUS= lines, the rest goes on
        }
    }

    @Override
    public void reloading() {
        systemd.reloading();
    }

    @Override
    public void reloaded(String summary) {
        Daemon d = daemon;
        if (d != null) {
            systemd.ready(statusLine(d));
        }
    }

    @Override
    public void stopping() {
        Thread r = refresher;
        if (r != null) {
            r.interrupt();
        }
        systemd.stopping();
    }

    private static String statusLine(Daemon d) {
        return statusLine(d.pairCount(), d.receiver().map(r -> r.address())) + activity(d.status());
    }

    /**
     * What the targets do, for the STATUS= line: {@code ; 3 in sync, 1 syncing (12 files, 3.4 MiB to go)}, the states
     * in {@link SyncState} order; empty without targets.
     */
    static String activity(DaemonStatus status) {
        Map<SyncState, Integer> states = new EnumMap<>(SyncState.class);
        long files = 0;
        long bytes = 0;
        for (PairStatus p : status.pairs()) {
            for (TargetStatus t : p.targets()) {
                states.merge(t.state(), 1, Integer::sum);
                files += t.filesPending();
                bytes += t.bytesPending();
            }
        }
        if (states.isEmpty()) {
            return "";
        }
        StringJoiner line = new StringJoiner(", ", "; ", "");
        states.forEach((state, n) -> line.add(n + " " + state.label()));
        return line + (files == 0 ? "" : " (" + files + (files == 1 ? " file, " : " files, ")
                + ProgressLine.size(bytes) + " to go)");
    }

    /** The one-line STATUS= systemd shows: {@code 2 pairs, receiver on 0.0.0.0:7878}, {@code 1 pair, no receiver}. */
    static String statusLine(int pairs, Optional<InetSocketAddress> receiver) {
        String where = receiver.map(a -> a.getAddress() instanceof Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort()).map(a -> "receiver on " + a).orElse("no receiver");
        return pairs + (pairs == 1 ? " pair, " : " pairs, ") + where;
    }
}
