package dev.ferry.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Secret files as ferry wants them: readable by their owner only (mode 600), as an administrator makes them. */
public final class Secrets {
    private Secrets() {
    }

    /** Writes {@code text} to {@code file} (created or replaced) and leaves it mode 600; returns {@code file}. */
    public static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
