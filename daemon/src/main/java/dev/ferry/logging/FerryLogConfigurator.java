package dev.ferry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * ferry's default logging: one line per event on stderr, level from {@code FERRY_LOG_LEVEL} (default INFO; each
 * chunk is logged at DEBUG); under systemd, when stderr is the journal, without a timestamp and with the level as a
 * syslog priority prefix ({@link JournalLineLayout}). Built in code rather than from logback.xml because parsing XML
 * loads ~500 classes and costs a one-shot {@code ferry push} about a quarter of a second at start.
 *
 * <p>Overridable as usual: with {@code -Dlogback.configurationFile=FILE} this configurator steps aside and Logback
 * reads that file.
 */
public final class FerryLogConfigurator extends ContextAwareBase implements Configurator {
    /** The line {@link LineLayout} writes, as a Logback pattern (for a logback.xml that wants the same). */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StatusToStderr.install(context, System.err);
        LayoutBase<ILoggingEvent> layout = JournalStream.stderrIsJournal() ? new JournalLineLayout() : new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getenv("FERRY_LOG_LEVEL")));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim().toUpperCase(Locale.ROOT), Level.INFO);
    }
}
