package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineLayoutTest {
    static final ObjectMapper JSON = new ObjectMapper();

    private static LoggingEvent event(Level level, String message, Throwable thrown, Map<String, String> mdc, Object... args) {
        LoggerContext context = new LoggerContext();
        String logger = "dev.ferry.receive.Receiver";
        LoggingEvent event = new LoggingEvent(logger, context.getLogger(logger), level, message, thrown, args);
        event.setTimeStamp(1_795_634_655_078L);
        event.setThreadName("ferry-session-51234");
        event.setMDCPropertyMap(mdc);
        return event;
    }

    private static String layout(LoggingEvent event, boolean journal) {
        JsonLineLayout layout = new JsonLineLayout(journal);
        layout.setContext(new LoggerContext());
        layout.start();
        return layout.doLayout(event);
    }

    @Test
    void oneObjectPerLineWithTimeLevelLoggerThreadMessageAndTheMdc() throws IOException {
        String line = layout(event(Level.INFO, "received folder={} path=\"{}\"", null,
                Map.of("peer", "10.0.0.2:51234", "folder", "photos"), "photos", "a\tb\nc.txt"), false);

        assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("time", "level", "logger", "thread", "message", "peer",
                "folder");
        assertThat(json.get("time").asText()).isEqualTo("2026-11-25T19:24:15.078Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("dev.ferry.receive.Receiver");
        assertThat(json.get("thread").asText()).isEqualTo("ferry-session-51234");
        assertThat(json.get("message").asText()).isEqualTo("received folder=photos path=\"a\tb\nc.txt\"");
        assertThat(json.get("peer").asText()).isEqualTo("10.0.0.2:51234");
        assertThat(json.get("folder").asText()).isEqualTo("photos");
    }

    @Test
    void exceptionIsTheStackTraceAsOneStringAndMdcKeysDoNotOverwriteFields() throws IOException {
        String line = layout(event(Level.ERROR, "internal error serving peer={}", new IOException("disk full"),
                Map.of("level", "sneaky"), "10.0.0.2:51234"), false);

        JsonNode json = JSON.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("mdc.level").asText()).isEqualTo("sneaky");
        assertThat(json.get("exception").asText()).startsWith("java.io.IOException: disk full\n\tat dev.ferry.logging.")
                .contains("JsonLineLayoutTest");
        assertThat(line).hasLineCount(1);
    }

    @Test
    void underTheJournalTheLineStartsWithTheSyslogPriority() throws IOException {
        String warn = layout(event(Level.WARN, "peer {} failed authentication", null, Map.of(), "10.0.0.2"), true);
        String debug = layout(event(Level.DEBUG, "committed", null, Map.of()), true);

        assertThat(warn).startsWith("<4>{\"time\":");
        assertThat(debug).startsWith("<7>{");
        assertThat(JSON.readTree(warn.substring(3)).get("message").asText()).isEqualTo("peer 10.0.0.2 failed authentication");
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
