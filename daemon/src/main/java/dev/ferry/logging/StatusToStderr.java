package dev.ferry.logging;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;
import java.io.PrintStream;

/**
 * Logback's own warnings and errors (an appender that cannot start, a broken setting) on stderr, one line each; its
 * INFO chatter is dropped. Registered by {@link FerryLogConfigurator}: with a listener on the context, Logback skips
 * its {@code StatusPrinter}, whose class loads the time-zone database at start whether or not it prints anything
 * (~15 ms of every one-shot {@code ferry push}).
 */
final class StatusToStderr implements StatusListener {
    private final PrintStream err;

    StatusToStderr(PrintStream err) {
        this.err = err;
    }

    /** Adds a listener to {@code context} and prints the warnings and errors it recorded before there was one. */
    static void install(Context context, PrintStream err) {
        StatusToStderr listener = new StatusToStderr(err);
        StatusManager statuses = context.getStatusManager();
        for (Status s : statuses.getCopyOfStatusList()) {
            listener.addStatusEvent(s);
        }
        statuses.add(listener);
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() < Status.WARN) {
            return;
        }
        Throwable cause = status.getThrowable();
        err.println("ferry: logging " + (status.getEffectiveLevel() >= Status.ERROR ? "error" : "warning") + ": "
                + status.getMessage() + (cause == null ? "" : " (" + cause + ")"));
    }
}
