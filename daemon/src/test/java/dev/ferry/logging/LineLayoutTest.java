package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineLayoutTest {
    @ParameterizedTest
    @CsvSource({
        "INFO, dev.ferry.receive.ReceiverSession, false",
        "WARN, dev.ferry.push.PushSession, true",
        "DEBUG, Root, false",
        "ERROR, a.b.C$Inner, true",
    })
    void writesWhatTheDocumentedPatternWrites(String level, String logger, boolean withException) {
        LoggerContext context = new LoggerContext();
        PatternLayout reference = new PatternLayout();
        reference.setContext(context);
        reference.setPattern(FerryLogConfigurator.PATTERN);
        reference.start();
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent(logger, context.getLogger(logger), Level.toLevel(level), "chunk refused path={} index={}",
                withException ? new IOException("disk full") : null, new Object[] {"a b/ü.bin", 7});
        event.setTimeStamp(1_795_634_655_578L);

        assertThat(layout.doLayout(event)).isEqualTo(reference.doLayout(event));
    }
}
