package dev.ferry.cli;

import dev.ferry.daemon.Daemon;
import dev.ferry.service.SystemdNotifier;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Optional;

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

    SystemdListener(SystemdNotifier systemd) {
        this.systemd = systemd;
    }

    /** The daemon runs: READY=1. ({@link #ready} comes from inside {@code Daemon.start}, before there is a daemon.) */
    void started(Daemon running) {
        daemon = running;
        systemd.ready(statusLine(running));
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
        systemd.stopping();
    }

    private static String statusLine(Daemon d) {
        return statusLine(d.pairCount(), d.receiver().map(r -> r.address()));
    }

    /** The one-line STATUS= systemd shows: {@code 2 pairs, receiver on 0.0.0.0:7878}, {@code 1 pair, no receiver}. */
    static String statusLine(int pairs, Optional<InetSocketAddress> receiver) {
        String where = receiver.map(a -> a.getAddress() instanceof Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]:" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort()).map(a -> "receiver on " + a).orElse("no receiver");
        return pairs + (pairs == 1 ? " pair, " : " pairs, ") + where;
    }
}
