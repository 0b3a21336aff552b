package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FileFailureTest {
    @Test
    void renameRefusedWithEaccesSaysPermissionDeniedWithoutTheReceiversPaths() {
        // what Files.move throws for EACCES: no reason, the message is just the two absolute paths
        FileFailure f = FileFailure.of("cannot commit 'a/b.bin'",
                new AccessDeniedException("/srv/photos/.ferry/partial/x.part", "/srv/photos/a/b.bin", null));

        assertThat(f.getMessage()).isEqualTo("cannot commit 'a/b.bin': Permission denied");
        assertThat(f.code()).isEqualTo(ErrorCode.PERMISSION);
    }

    @Test
    void missingFileIsNamedAsTheOsNamesIt() {
        FileFailure f = FileFailure.of("cannot delete 'x'", new NoSuchFileException("/srv/photos/x"));

        assertThat(f.getMessage()).isEqualTo("cannot delete 'x': No such file or directory");
        assertThat(f.code()).isEqualTo(ErrorCode.IO);
    }

    @Test
    void osReasonIsKeptAndMapsToItsCode() {
        assertThat(FileFailure.of("cannot write 'x'", new IOException("No space left on device")))
                .hasMessage("cannot write 'x': No space left on device")
                .extracting(FileFailure::code).isEqualTo(ErrorCode.NO_SPACE);
        assertThat(FileFailure.of("cannot prepare 'x'", new FileSystemException("/srv/photos/.ferry", null, "Read-only file system")))
                .hasMessage("cannot prepare 'x': Read-only file system")
                .extracting(FileFailure::code).isEqualTo(ErrorCode.PERMISSION);
    }
}
