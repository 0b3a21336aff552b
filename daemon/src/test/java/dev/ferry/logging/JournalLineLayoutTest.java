package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JournalLineLayoutTest {
    private final LoggerContext context = new LoggerContext();

    private String layout(Level level, String message, Throwable thrown) {
        JournalLineLayout layout = new JournalLineLayout();
        layout.setContext(context);
        layout.start();
        LoggingEvent event = new LoggingEvent("dev.ferry.daemon.Daemon", context.getLogger("dev.ferry.daemon.Daemon"),
                level, message, thrown, new Object[0]);
        event.setTimeStamp(1_795_634_655_578L);
        return layout.doLayout(event);
    }

    @ParameterizedTest
    @CsvSource({"ERROR, 3", "WARN, 4", "INFO, 6", "DEBUG, 7", "TRACE, 7"})
    void prefixesTheSyslogPriorityAndWritesNoTimestamp(String level, int priority) {
        String line = layout(Level.toLevel(level), "daemon running pairs=1", null);
        assertThat(line).isEqualTo("<" + priority + ">" + String.format("%-5s", level) + " Daemon daemon running pairs=1\n");
    }

    @Test
    void aMessageIsOneLineAndEveryLineOfItsStackTraceCarriesThePrefix() {
        String out = layout(Level.WARN, "two\nlines", new IOException("disk full"));
        String[] lines = out.split("\n", -1);
        assertThat(lines[0]).as("a newline in the message (a file name?) is escaped, not a line of its own")
                .isEqualTo("<4>WARN  Daemon two\\nlines");
        assertThat(lines[1]).isEqualTo("<4>java.io.IOException: disk full");
        assertThat(lines.length).isGreaterThan(4);
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i]).as("line %d", i).startsWith("<4>");
        }
        assertThat(lines[lines.length - 1]).as("ends with exactly one newline").isEmpty();
    }

    @Test
    void stderrIsTheJournalOnlyWhenDeviceAndInodeBothMatch(@TempDir Path tmp) throws IOException {
        Path stream = Files.writeString(tmp.resolve("stream"), "");
        Map<String, Object> a = Files.readAttributes(stream, "unix:dev,ino");
        long dev = (Long) a.get("dev");
        long ino = (Long) a.get("ino");
        assertThat(JournalStream.matches(dev + ":" + ino, stream)).isTrue();
        assertThat(JournalStream.matches(dev + ":" + (ino + 1), stream)).isFalse();
        assertThat(JournalStream.matches((dev + 1) + ":" + ino, stream)).isFalse();
        assertThat(JournalStream.matches(null, stream)).isFalse();
        assertThat(JournalStream.matches("", stream)).isFalse();
        assertThat(JournalStream.matches("garbage", stream)).isFalse();
        assertThat(JournalStream.matches("1:x", stream)).isFalse();
        assertThat(JournalStream.matches(dev + ":" + ino, tmp.resolve("missing"))).isFalse();
    }
}
