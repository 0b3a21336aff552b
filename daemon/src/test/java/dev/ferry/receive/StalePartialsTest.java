package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StalePartialsTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path root;

    Path partial(String name, Duration age) throws IOException {
        Path p = Files.createDirectories(root.resolve(".ferry/partial")).resolve(name);
        Files.writeString(p, name);
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
        return p;
    }

    @Test
    void removesPartialsNotWrittenWithinTheMaximumAgeWithTheirSidecars() throws IOException {
        Path old = partial("aa.part", Duration.ofDays(8));
        Path oldSide = partial("aa.side", Duration.ofDays(8));
        Path fresh = partial("bb.part", Duration.ofDays(6));
        Path freshSide = partial("bb.side", Duration.ofDays(9)); // the sidecar's own age does not matter
        Path orphan = partial("cc.side", Duration.ofMinutes(1)); // its partial file is gone

        try (dev.ferry.disk.Beneath folder = dev.ferry.disk.Beneath.open(root)) {
            assertThat(StalePartials.expire(folder, Duration.ofDays(7), CLOCK)).isEqualTo(1);
        }

        assertThat(old).doesNotExist();
        assertThat(oldSide).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(fresh).exists();
        assertThat(freshSide).exists();
    }

    @Test
    void aFolderThatNeverReceivedAnythingIsFine() throws IOException {
        try (dev.ferry.disk.Beneath folder = dev.ferry.disk.Beneath.open(root)) {
            assertThat(StalePartials.expire(folder, Duration.ofDays(7), CLOCK)).isZero();
        }
    }
}
