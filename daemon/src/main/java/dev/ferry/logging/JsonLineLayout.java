package dev.ferry.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Map;
import java.util.Set;

/**
 * ferry's log line with {@code log-format: json}: one JSON object per line, written with jackson-core,
 * <pre>{"time":"2026-12-06T11:20:00.123Z","level":"INFO","logger":"dev.ferry.receive.Receiver","thread":"ferry-session-51234",
 * "message":"received folder=photos ...","peer":"10.0.0.2:51234","folder":"photos"}</pre>
 * {@code time} is ISO-8601 in UTC with milliseconds; the MDC's entries ({@code peer}, {@code folder}, {@code pair})
 * follow as fields of their own (one that would clash with a field above is written as {@code mdc.KEY});
 * {@code exception}, when there is one, is the stack trace as one string. Under the systemd journal the line
 * starts with the syslog priority ({@code <6>{...}}), which journald strips, so the entry is plain JSON and
 * {@code journalctl -p warning} still works.
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    /** Always three digits of milliseconds (ISO_INSTANT would leave them out when they are zero). */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();
    private static final Set<String> FIELDS = Set.of("time", "level", "logger", "thread", "message", "exception");

    private final boolean journal;

    /** @param journal whether stderr is the systemd journal (each line starts with a syslog priority) */
    JsonLineLayout(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        if (journal) {
            out.append('<').append(String.valueOf(JournalLineLayout.priority(event.getLevel()))).append('>');
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null) {
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(FIELDS.contains(e.getKey()) ? "mdc." + e.getKey() : e.getKey(), e.getValue());
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // (a StringWriter does not fail)
        }
        return out.append('\n').toString();
    }
}
