package dev.ferry.daemon;

/**
 * Whether a target's receiver can be talked to, and the last failure seen there: changed by the target's thread,
 * read by status from any thread. Each method that changes the state says whether it changed, so that the target
 * logs each change once, not once per attempt.
 */
final class TargetReach {
    /** AUTH_FAILED: the receiver answered but refused our credentials. */
    enum State { UP, DOWN, AUTH_FAILED }

    private volatile State state = State.UP;
    private volatile String lastError;

    /** The receiver could not be reached; true if it could until now. */
    boolean wentDown(String error) {
        lastError = error;
        return change(State.DOWN) != State.DOWN;
    }

    /** The receiver refused our credentials; true if it did not until now. */
    boolean refusedCredentials(String error) {
        lastError = error;
        return change(State.AUTH_FAILED) != State.AUTH_FAILED;
    }

    /** The receiver answered and accepted us: the state before (UP if nothing changed). */
    State cameBack() {
        return change(State.UP);
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
