package dev.ferry.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A real temporary folder for jqwik properties, which have no {@code @TempDir}; deleted on close. */
final class ScratchDir implements AutoCloseable {
    final Path path;

    ScratchDir() {
        try {
            path = Files.createTempDirectory("ferry-journal-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
