package dev.ferry.receive;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports failed authentications once per change of state per peer address (IP, any port) and folder: the first
 * failure is one WARN, later ones are counted at DEBUG, and a success after failures is one INFO. A sender with a
 * stale token retries for as long as it runs, and a WARN per attempt would bury everything else in the log.
 * Remembers at most {@link #MAX_PEERS} failing peer/folder pairs (the least recently failing is forgotten first:
 * its next failure is a WARN again), so a scan from many addresses cannot grow it. Called from the session threads;
 * synchronized.
 */
final class AuthFailures {
    static final int MAX_PEERS = 1024;
    private static final Logger log = LoggerFactory.getLogger(AuthFailures.class);

    private record Key(String address, String folder) {
    }

    /** Failures in a row per peer address and folder, least recently failed first. */
    private final Map<Key, Integer> failing = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Integer> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /** {@code peer} ("ADDRESS:PORT") proved no token for {@code folder} (as the peer asked for it, printable). */
    synchronized void failed(String peer, String folder) {
        failed(peer, folder, "wrong token");
    }

    /**
     * {@code peer} may not write {@code folder}; {@code why} says how it failed ({@code wrong token}, {@code ID ... is
     * not allowed}), never with a secret.
     */
    synchronized void failed(String peer, String folder, String why) {
        Key key = new Key(address(peer), folder);
        int count = failing.merge(key, 1, Integer::sum);
        if (count == 1) {
            log.warn("peer {} failed authentication for folder '{}' ({}); further failures from it are counted,"
                    + " not logged, until it succeeds", key.address(), folder, why);
        } else {
            log.debug("peer {} failed authentication for folder '{}' again ({} failures in a row)", key.address(), folder,
                    count);
        }
    }

    /**
     * {@code peer} and this receiver disagree on TLS ({@code what} says which way): one WARN per peer address until it
     * authenticates somewhere, then DEBUG, like a failed proof.
     */
    synchronized void mismatch(String peer, String what) {
        Key key = new Key(address(peer), "");
        int count = failing.merge(key, 1, Integer::sum);
        if (count == 1) {
            log.warn("peer {}: {}; closed (further attempts from it are counted, not logged)", key.address(), what);
        } else {
            log.debug("peer {}: {} again ({} in a row)", key.address(), what, count);
        }
    }

    /** {@code peer} authenticated for {@code folder}: after failures, that is said once. */
    synchronized void succeeded(String peer, String folder) {
        Key key = new Key(address(peer), folder);
        failing.remove(new Key(key.address(), "")); // (a mismatch fixed)
        Integer count = failing.remove(key);
        if (count != null) {
            log.info("peer {} authenticated for folder '{}' after {} failed attempt(s)", key.address(), folder, count);
        }
    }

    /** Peers and folders whose failures are being counted now. */
    synchronized int size() {
        return failing.size();
    }

    /** "10.0.0.2:51234" to "10.0.0.2" (and "::1:51234" to "::1"): the port changes with every attempt. */
    static String address(String peer) {
        int colon = peer.lastIndexOf(':');
        return colon < 0 ? peer : peer.substring(0, colon);
    }
}
