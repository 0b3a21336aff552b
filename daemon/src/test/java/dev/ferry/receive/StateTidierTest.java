package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tidier ages partial files by the receiver's clock, and looks at a folder at most once an hour. */
class StateTidierTest {
    static final Token TOKEN = Token.of("tidier-test-token-0123456789");

    @TempDir
    Path root;

    final ManualClock clock = new ManualClock();

    Path partialWrittenAgo(String relativePath, Duration age) throws IOException {
        Path data = Sidecars.pathsOf(root, relativePath).dataPath();
        Files.createDirectories(data.getParent());
        Files.writeString(data, relativePath);
        Files.setLastModifiedTime(data, FileTime.from(clock.instant().minus(age)));
        return data;
    }

    @Test
    void removesPartialsPastTheirAgeOnTheInjectedClockAtMostHourly() throws IOException {
        StateTidier tidier = new StateTidier(Loopback.receiverSettings(TOKEN, Map.of("f", root))
                .withPartialMaxAge(Duration.ofDays(7)), clock);
        Path old = partialWrittenAgo("old.bin", Duration.ofDays(8));
        Path young = partialWrittenAgo("young.bin", Duration.ofDays(6));

        tidier.tidy("f", root);
        assertThat(old).doesNotExist();
        assertThat(young).exists();

        clock.advance(Duration.ofDays(1).plusMinutes(30)); // young is now 7.5 days old
        tidier.tidy("f", root);
        assertThat(young).as("7.5 days old, and the last look was more than an hour ago").doesNotExist();
    }

    @Test
    void aSecondSessionWithinTheHourDoesNotLookAgain() throws IOException {
        StateTidier tidier = new StateTidier(Loopback.receiverSettings(TOKEN, Map.of("f", root))
                .withPartialMaxAge(Duration.ofDays(7)), clock);
        tidier.tidy("f", root);
        Path old = partialWrittenAgo("old.bin", Duration.ofDays(8));

        clock.advance(Duration.ofMinutes(59));
        tidier.tidy("f", root);
        assertThat(old).as("tidied 59 minutes ago").exists();

        clock.advance(Duration.ofMinutes(1));
        tidier.tidy("f", root);
        assertThat(old).doesNotExist();
    }
}
