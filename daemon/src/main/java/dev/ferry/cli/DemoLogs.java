package dev.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the demo's screen to its own lines: while it runs, ferry's INFO lines (receiver listening, daemon running,
 * ...) are left out and WARN and ERROR still show. {@code FERRY_LOG_LEVEL}, when set, wins; so does a logging set-up
 * that is not Logback's.
 */
final class DemoLogs implements AutoCloseable {
    private final Logger ferry;
    private final Level saved;

    private DemoLogs(Logger ferry, Level saved) {
        this.ferry = ferry;
        this.saved = saved;
    }

    static DemoLogs quiet() {
        String set = System.getenv("FERRY_LOG_LEVEL");
        if ((set == null || set.isBlank()) && LoggerFactory.getLogger("dev.ferry") instanceof Logger logger) {
            Level saved = logger.getLevel();
            logger.setLevel(Level.WARN);
            return new DemoLogs(logger, saved);
        }
        return new DemoLogs(null, null);
    }

    /** Puts the level back (for a demo run in-process by a test). */
    @Override
    public void close() {
        if (ferry != null) {
            ferry.setLevel(saved);
        }
    }
}
