package dev.ferry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;

/**
 * ferry's log line when stderr is the systemd journal ({@link JournalStream}): {@code <6>INFO  Daemon daemon running
 * ...}. No timestamp of our own (the journal stamps every entry), and the level also as a syslog priority prefix
 * (3 error, 4 warning, 6 info, 7 debug), which journald reads and strips, so that {@code journalctl -p warning} shows
 * ferry's warnings and errors. Each line of a stack trace carries the prefix too: the journal keeps one entry per
 * line, and a line without one would be filed at the unit's default priority.
 */
final class JournalLineLayout extends LayoutBase<ILoggingEvent> {

    /** The syslog priority of a Logback level. */
    static int priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String prefix = "<" + priority(event.getLevel()) + ">";
        StringBuilder b = new StringBuilder(128).append(prefix);
        String level = event.getLevel().toString();
        b.append(level);
        for (int i = level.length(); i < 5; i++) {
            b.append(' ');
        }
        String logger = event.getLoggerName();
        b.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length());
        b.append(' ');
        b.append(LogText.oneLine(event.getFormattedMessage())).append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            String trace = ThrowableProxyUtil.asString(thrown);
            b.append(prefix);
            appendLines(b, prefix, trace.endsWith("\n") ? trace.substring(0, trace.length() - 1) : trace);
        }
        return b.toString();
    }

    /** {@code text} with every line after the first prefixed as well, ending with one '\n'. */
    private static void appendLines(StringBuilder b, String prefix, String text) {
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                b.append(text, start, text.length()).append('\n');
                return;
            }
            b.append(text, start, nl).append('\n').append(prefix);
            start = nl + 1;
        }
    }
}
