package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.CapturedStdio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry keygen DIR} and {@code ferry id DIR} as a user runs them. */
class KeygenCommandTest {
    @TempDir
    Path tmp;

    @Test
    void keygenPrintsTheIdLastAndIdPrintsItAlone() throws Exception {
        Path dir = tmp.resolve("identity");
        String id;
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("keygen", dir.toString())).isZero();
            String[] lines = stdio.out().split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).isEqualTo("identity written to " + dir + " (key.pem, cert.pem); this host's ID:");
            id = lines[1];
            assertThat(id).matches("([A-Z2-7]{4}-){7}[A-Z2-7]{4}");
        }
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("id", dir.toString())).isZero();
            assertThat(stdio.out()).isEqualTo(id + "\n");
        }
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("keygen", dir.toString())).as("never overwrites").isOne();
            assertThat(stdio.allErr()).isEqualTo("ferry: " + dir + " already holds an identity (ferry id " + dir
                    + " prints its ID); remove it first to make a new one\n");
        }
        Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r-----"));
        try (CapturedStdio stdio = CapturedStdio.start()) {
            assertThat(Main.run("id", dir.toString())).isOne();
            assertThat(stdio.allErr()).isEqualTo("ferry: private key " + dir.resolve("key.pem")
                    + " can be read by others (mode rw-r-----): run chmod 600 " + dir.resolve("key.pem") + "\n");
        }
    }
}
