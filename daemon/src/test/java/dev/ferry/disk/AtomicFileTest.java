package dev.ferry.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static AtomicFile.Content text(String s) {
        return ch -> ch.write(ByteBuffer.wrap(s.getBytes()));
    }

    @Test
    void aReplaceLeavesTheNewContentAndNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("state.bin"), "old content, longer than the new");

        AtomicFile.replace(file, AtomicFile.tempBeside(file), AtomicFile.Sync.FSYNC, text("new"));

        assertThat(file).hasContent("new");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldContentAndRemovesTheTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("state.bin"), "old");

        assertThatThrownBy(() -> AtomicFile.replace(file, AtomicFile.tempBeside(file), AtomicFile.Sync.FSYNC,
                ch -> {
                    ch.write(ByteBuffer.wrap("half of the n".getBytes()));
                    throw new IOException("disk full");
                })).hasMessage("disk full");

        assertThat(file).hasContent("old");
        assertThat(AtomicFile.tempBeside(file)).doesNotExist();
    }

    @Test
    void aCrashBetweenWritingAndRenamingLeavesTheOldContentAndTheInstallBringsTheNew() throws IOException {
        Path file = Files.writeString(dir.resolve("state.bin"), "old");
        Path temp = AtomicFile.tempBeside(file);
        Files.writeString(temp, "a stray temp left by an earlier crash, longer than the new content");

        AtomicFile.writeTemp(temp, AtomicFile.Sync.FSYNC, text("new"));
        assertThat(file).as("a crash here").hasContent("old");
        assertThat(temp).as("truncated, then written").hasContent("new");

        AtomicFile.install(temp, file, AtomicFile.Sync.FSYNC);
        assertThat(file).hasContent("new");
        assertThat(temp).doesNotExist();
    }

    @Test
    void aFailedRenameKeepsTheOldFileAndRemovesTheTemporaryFile() throws IOException {
        Path target = Files.createDirectory(dir.resolve("busy"));
        Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be renamed over
        Path temp = dir.resolve("busy.1234.tmp"); // a unique name, as several writers would use

        assertThatThrownBy(() -> AtomicFile.replace(target, temp, AtomicFile.Sync.NO_FSYNC, text("new")))
                .isInstanceOf(IOException.class);

        assertThat(target.resolve("inside")).hasContent("x");
        assertThat(temp).doesNotExist();
    }
}
