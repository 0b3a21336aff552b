package dev.ferry.cli;

/** A problem with what the user asked for (bad flag value, bad config): {@link ExitCode#USAGE}. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
