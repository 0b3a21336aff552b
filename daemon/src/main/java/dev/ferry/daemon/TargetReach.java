package dev.ferry.daemon;

import dev.ferry.config.Durations;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a target's receiver can be talked to, and the last failure seen there: changed by the target's thread,
 * read by status from any thread. Each change of state is logged once, not once per attempt.
 */
final class TargetReach {
    private static final Logger log = LoggerFactory.getLogger(TargetReach.class);

    /** AUTH_FAILED: the receiver answered but refused our credentials. */
    enum State { UP, DOWN, AUTH_FAILED }

    private final String target;
    /** How often a target retries at most: said in the log lines. */
    private final Duration backoffMax;
    /** The target pins the receiver's ID (TLS): what to check when it refuses us differs. */
    private final boolean pinned;
    private volatile State state = State.UP;
    private volatile String lastError;

    TargetReach(String target, Duration backoffMax, boolean pinned) {
        this.target = target;
        this.backoffMax = backoffMax;
        this.pinned = pinned;
    }

    /** The receiver could not be reached. */
    void wentDown(String error) {
        lastError = error;
        if (change(State.DOWN) != State.DOWN) {
            log.warn("target={} is unreachable: {} (retrying with backoff up to {})", target, error,
                    Durations.format(backoffMax));
        }
    }

    /** The receiver answered, and refused our credentials (not "unreachable"). */
    void refusedCredentials(String error) {
        lastError = error;
        if (change(State.AUTH_FAILED) != State.AUTH_FAILED) {
            log.error("target={} authentication failed: {}; {} (retrying every {})", target, error, pinned
                            ? "check the receiver's ID in the target and that the receiver allows this host's ID"
                            + " (ferry id DIR) on the folder"
                            : "check the token file of this pair and the receiver's",
                    Durations.format(backoffMax));
        }
    }

    /** The receiver answered and accepted us. */
    void cameBack() {
        State before = change(State.UP);
        if (before != State.UP) {
            log.info("target={} is {} again", target, before == State.AUTH_FAILED ? "accepting our credentials" : "reachable");
        }
    }

    /** A file failed there (the link itself is fine). */
    void fileFailed(String error) {
        lastError = error;
    }

    /** A round went through without any failure: no error to show any more. */
    void roundClean() {
        lastError = null;
    }

    private State change(State next) {
        State before = state;
        state = next;
        return before;
    }

    State state() {
        return state;
    }

    /** The last failure, or null since a clean round. */
    String lastError() {
        return lastError;
    }
}
