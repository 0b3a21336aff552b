package dev.ferry.receive;

import dev.ferry.time.FerryClock;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused connections without letting a flood of them flood the log: the first refusal is one WARN, then at
 * most one WARN a minute saying how many were refused since (each one is also counted in the receiver's
 * {@code connectionsRejected}, and logged at DEBUG). Called by the acceptor's thread only.
 */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Receiver.class);
    private static final long QUIET_NS = TimeUnit.MINUTES.toNanos(1);

    private final FerryClock clock;
    private boolean loggedOnce;
    private long lastLoggedNs;
    private long unlogged;

    Refusals(FerryClock clock) {
        this.clock = clock;
    }

    void refused(SocketAddress peer, String why) {
        long now = clock.nanoTime();
        if (!loggedOnce || now - lastLoggedNs >= QUIET_NS) {
            log.warn("refusing peer={}: {}{}", peer, why, unlogged == 0 ? ""
                    : " (and " + unlogged + " more refused since the last such line; each one is logged at DEBUG)");
            loggedOnce = true;
            lastLoggedNs = now;
            unlogged = 0;
        } else {
            unlogged++;
            log.debug("refusing peer={}: {}", peer, why);
        }
    }
}
