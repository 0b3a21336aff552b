package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ferry.auth.Token;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** A name with a newline, a carriage return, an escape sequence or another control character never forges a log line. */
class LogEscapingTest {
    /** Names a sender's disk may hold: every one is a legal Linux file name. */
    static final List<String> HOSTILE = List.of("evil\n2026-12-06T00:00:00.000Z INFO  Receiver forged.txt", "cr\rname.txt",
            "esc\u001b[31mred\u001b[0m.txt", "tab\tname.txt", "del\u007fname.txt", "nel\u0085line.txt", "ls\u2028sep.txt",
            "bell\u0007.txt");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain name.txt|plain name.txt",
        "a\\nb|a\\nb",
    })
    void textWithoutControlCharactersIsUnchanged(String in, String out) {
        assertThat(LogText.oneLine(in)).isEqualTo(out);
    }

    @Test
    void eachControlCharacterIsWrittenAsAnEscape() {
        assertThat(LogText.oneLine("a\nb\rc\td\u001be\u007ff\u0085g\u2028h\u2029i\u0000j"))
                .isEqualTo("a\\nb\\rc\\td\\x1be\\x7ff\\x85g\\u2028h\\u2029i\\x00j");
        String plain = "ünïcode – fine.txt";
        assertThat(LogText.oneLine(plain)).isSameAs(plain);
    }

    @Test
    void pushingHostileNamesLeavesOneLogLinePerEventInEveryTextLayout() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        for (String name : HOSTILE) {
            Files.writeString(src.resolve(name), "content of " + name);
        }
        Token token = Token.of("log-escaping-test-token-0123456789");
        Logger ferry = (Logger) LoggerFactory.getLogger("dev.ferry");
        Level was = ferry.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        ferry.addAppender(events);
        ferry.setLevel(Level.DEBUG); // (the per-file lines, which name every path, are DEBUG)
        try (Receiver receiver = Receiver.start(Loopback.receiverSettings(token, Map.of("f", target)))) {
            Pusher.push(src, true, "", Loopback.pushSettings(receiver.address().getPort(), "f", token));
        } finally {
            ferry.detachAppender(events);
            ferry.setLevel(was);
        }

        LineLayout line = new LineLayout();
        JournalLineLayout journal = new JournalLineLayout();
        int naming = 0;
        List<ILoggingEvent> logged;
        synchronized (events) {
            logged = List.copyOf(events.list);
        }
        for (ILoggingEvent e : logged) {
            for (String out : List.of(line.doLayout(withoutThrowable(e)), journal.doLayout(withoutThrowable(e)))) {
                assertThat(out.indexOf('\n')).as("one line: %s", out).isEqualTo(out.length() - 1);
                assertThat(out.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == 0x2028))
                        .as("no control character left in %s", out).isEmpty();
            }
            if (e.getFormattedMessage().contains("forged") || e.getFormattedMessage().contains("red")) {
                naming++;
            }
        }
        assertThat(naming).as("log lines that name the hostile files").isPositive();
    }

    /** The event as the layouts see it, its stack trace (whose lines are the trace's own) left out. */
    private static ILoggingEvent withoutThrowable(ILoggingEvent e) {
        LoggerContext context = new LoggerContext();
        LoggingEvent copy = new LoggingEvent(e.getLoggerName(), context.getLogger(e.getLoggerName()), e.getLevel(),
                e.getFormattedMessage().replace("{}", "{ }"), null, null);
        copy.setTimeStamp(e.getTimeStamp());
        return copy;
    }
}
