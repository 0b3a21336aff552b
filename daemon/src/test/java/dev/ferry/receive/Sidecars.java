package dev.ferry.receive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test helpers: a sidecar read or written by path, as tests look at the disk. */
final class Sidecars {
    private Sidecars() {
    }

    /** The sidecar at {@code file}; null if there is none or it is unusable. */
    static PartialSidecar.Contents read(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return PartialSidecar.read(ch);
        }
    }

    /** Where the partial file and sidecar of {@code rel} are under {@code root} (as paths, for looking at them). */
    static PartialPaths pathsOf(Path root, String rel) throws IOException {
        try (dev.ferry.disk.Beneath folder = dev.ferry.disk.Beneath.open(root)) {
            return PartialPaths.of(folder, rel);
        }
    }

    /** A new sidecar at {@code file}. */
    static PartialSidecar create(Path file, PartialSidecar.Version version) throws IOException {
        return PartialSidecar.create(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), version);
    }
}
