package dev.ferry.cli;

import java.util.Set;

/** One verb of the command line ({@code ferry VERB ...}): what it accepts, its help, and what it does. */
interface Verb {
    String name();

    /** One line for the overview. */
    String summary();

    /** The full help text of {@code ferry VERB --help}. */
    String usage();

    /** Options that take a value. */
    Set<String> options();

    /** Options that take none. */
    default Set<String> flags() {
        return Set.of();
    }

    /** Runs the verb; returns its exit code. {@link UsageException} means exit 2. */
    int run(Args args) throws Exception;
}
