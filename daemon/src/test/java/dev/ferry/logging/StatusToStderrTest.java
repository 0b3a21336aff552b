package dev.ferry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusToStderrTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsWarningsAndErrorsOneLineEachAndDropsInfo() {
        LoggerContext context = new LoggerContext();
        StatusToStderr.install(context, err);

        context.getStatusManager().add(new InfoStatus("found no logback.xml", this));
        context.getStatusManager().add(new WarnStatus("appender STDERR has no encoder", this));
        context.getStatusManager().add(new ErrorStatus("cannot open the log file", this, new IOException("disk full")));

        assertThat(printed()).isEqualTo("""
                ferry: logging warning: appender STDERR has no encoder
                ferry: logging error: cannot open the log file (java.io.IOException: disk full)
                """);
    }

    @Test
    void printsWhatWasRecordedBeforeItWasInstalled() {
        LoggerContext context = new LoggerContext();
        context.getStatusManager().add(new InfoStatus("starting", this));
        context.getStatusManager().add(new WarnStatus("an early problem", this));

        StatusToStderr.install(context, err);

        assertThat(printed()).isEqualTo("ferry: logging warning: an early problem\n");
    }

    @Test
    void theConfiguratorInstallsItSoLogbackSkipsItsStatusPrinter() {
        LoggerContext context = new LoggerContext();
        assertThat(StatusUtil.contextHasStatusListener(context)).isFalse();

        new FerryLogConfigurator().configure(context);

        // LogbackServiceProvider calls StatusPrinter.printInCaseOfErrorsOrWarnings only when this is false
        assertThat(StatusUtil.contextHasStatusListener(context)).isTrue();
    }
}
