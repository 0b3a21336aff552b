package dev.ferry.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * ferry's default logging: one line per event on stderr, level from {@code FERRY_LOG_LEVEL} (default INFO; each
 * chunk is logged at DEBUG); under systemd, when stderr is the journal, without a timestamp and with the level as a
 * syslog priority prefix ({@link JournalLineLayout}). With {@code log-format: json} the command switches to one JSON
 * object per line ({@link #use}, {@link JsonLineLayout}) once it has read its config. Built in code rather than from logback.xml because parsing XML
 * loads ~500 classes and costs a one-shot {@code ferry push} about a quarter of a second at start.
 *
 * <p>Overridable as usual: with {@code -Dlogback.configurationFile=FILE} this configurator steps aside and Logback
 * reads that file.
 */
public final class FerryLogConfigurator extends ContextAwareBase implements Configurator {
    /** The name of the one appender this configurator adds to the root logger. */
    static final String APPENDER = "STDERR";
    /** The line {@link LineLayout} writes, as a Logback pattern (for a logback.xml that wants the same). */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        StatusToStderr.install(context, System.err);
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName(APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder(context, LogFormat.DEFAULT, JournalStream.stderrIsJournal()));
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getenv("FERRY_LOG_LEVEL")));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * From now on, lines on stderr in {@code format}: called at start once the config is read, and after a reload.
     * The appender keeps running (a stopped one would drop other threads' lines): the encoder is swapped in one
     * assignment, and each line is encoded by the old or the new one. Does nothing when Logback was configured from
     * a file ({@code -Dlogback.configurationFile}): that file decides.
     */
    public static void use(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> stderr) {
            stderr.setEncoder(encoder(context, format, JournalStream.stderrIsJournal()));
        }
    }

    /** The encoder of {@code format}, in its journal variant when {@code journal}. */
    static LayoutWrappingEncoder<ILoggingEvent> encoder(Context context, LogFormat format, boolean journal) {
        LayoutBase<ILoggingEvent> layout = switch (format) {
            case TEXT -> journal ? new JournalLineLayout() : new LineLayout();
            case JSON -> new JsonLineLayout(journal);
        };
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim().toUpperCase(Locale.ROOT), Level.INFO);
    }
}
