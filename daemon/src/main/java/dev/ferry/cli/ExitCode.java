package dev.ferry.cli;

/**
 * What {@code ferry} exits with, for scripts and for systemd ({@code RestartPreventExitStatus=2}: a usage or config
 * error will not go away by restarting).
 */
final class ExitCode {
    static final int OK = 0;
    /** A runtime failure: a file not pushed, a receiver that could not start, an I/O error. */
    static final int FAILED = 1;
    /** What the user asked for is wrong: an unknown verb or flag, a bad value, a config that does not load. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
