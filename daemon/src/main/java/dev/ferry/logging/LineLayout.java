package dev.ferry.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * ferry's log line, {@code 2026-11-25T19:20:49.668Z INFO  ReceiverSession committed path=...}: what the pattern
 * {@value FerryLogConfigurator#PATTERN} prints, written out in code. Logback's pattern parser and its converter
 * tables cost a one-shot {@code ferry push} ~10 ms at start, for lines it mostly never writes.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
    /** Built on the first line, not at start. */
    private static final class Clock {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                .withZone(ZoneId.systemDefault());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        Clock.TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), b);
        b.append(' ');
        String level = event.getLevel().toString();
        b.append(level);
        for (int i = level.length(); i < 5; i++) {
            b.append(' ');
        }
        b.append(' ');
        String logger = event.getLoggerName();
        b.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        b.append(' ').append(LogText.oneLine(event.getFormattedMessage())).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown)); // (every line of it ends with a line separator)
        }
        return b.toString();
    }
}
