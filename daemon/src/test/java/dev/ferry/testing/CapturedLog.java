package dev.ferry.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what one class logs (on any thread) until {@link #close} detaches it. By default the lines still reach
 * the console, so a failing test shows them in order with the rest; {@link #quiet} keeps them off it (for tests
 * that provoke thousands of expected warnings).
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final boolean wasAdditive;
    private final Level wasLevel;

    public CapturedLog(Class<?> type) {
        this(type, false);
    }

    private CapturedLog(Class<?> type, boolean quiet) {
        logger = (Logger) LoggerFactory.getLogger(type);
        wasAdditive = logger.isAdditive();
        wasLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        if (quiet) {
            logger.setAdditive(false);
        }
    }

    /** Captures without passing the lines on to the console. */
    public static CapturedLog quiet(Class<?> type) {
        return new CapturedLog(type, true);
    }

    /** Captures down to {@code level} (e.g. DEBUG, whatever the root's level), until {@link #close}. */
    public static CapturedLog from(Class<?> type, Level level) {
        CapturedLog log = new CapturedLog(type, false);
        log.logger.setLevel(level);
        return log;
    }

    /** The formatted messages logged at {@code level} so far, in order. */
    public List<String> at(Level level) {
        synchronized (appender) { // ListAppender appends under this lock (AppenderBase.doAppend is synchronized)
            return appender.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    /** Every formatted message so far, in order, whatever its level. */
    public List<String> messages() {
        synchronized (appender) {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    public List<String> warnings() {
        return at(Level.WARN);
    }

    public List<String> infos() {
        return at(Level.INFO);
    }

    public void clear() {
        synchronized (appender) {
            appender.list.clear();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
        logger.setAdditive(wasAdditive);
        logger.setLevel(wasLevel);
    }
}
