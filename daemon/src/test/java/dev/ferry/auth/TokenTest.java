package dev.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files: the owner's alone, or refused with the command that fixes them; never shown. */
class TokenTest {
    @TempDir
    Path tmp;

    @Test
    void aTokenFileTheGroupOrOthersCanReadIsRefusedWithTheChmodToRun() throws IOException {
        Path file = Files.writeString(tmp.resolve("token"), "a-secret-of-enough-length\n");
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw-----w-"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> Token.read(file)).isInstanceOf(IOException.class).hasMessage("token file " + file
                    + " can be read by others (mode " + mode + "): run chmod 600 " + file);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(Token.read(file).toString()).isEqualTo("Token[redacted]");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(Token.read(file).toString()).isEqualTo("Token[redacted]");
    }

    @Test
    void aSymlinkIsJudgedByTheFileItPointsTo() throws IOException {
        Path real = Files.writeString(tmp.resolve("real"), "a-secret-of-enough-length\n");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThat(Token.read(link).toString()).isEqualTo("Token[redacted]");
    }
}
