package dev.ferry.receive;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Removes what interrupted transfers left in {@code <root>/.ferry/partial/} once nobody came back for it: a
 * partial file (and its sidecar) not written for {@code maxAge}, and a sidecar whose partial file is gone. A
 * transfer in progress writes its partial file all the time, so age alone tells them apart. Runs on the thread
 * of a session that just started (see {@link Receiver}).
 */
final class StalePartials {
    private StalePartials() {
    }

    /** Returns the number of partial files removed. */
    static int expire(Path root, Duration maxAge, InstantSource clock) throws IOException {
        Path dir = PartialPaths.dir(root);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(maxAge);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                try {
                    if (PartialPaths.isData(p)) {
                        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                        if (a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                            Files.deleteIfExists(p);
                            Files.deleteIfExists(PartialPaths.ofData(p).sidecar());
                            removed++;
                        }
                    } else if (PartialPaths.isSidecar(p) && !Files.exists(PartialPaths.ofSidecar(p).data(), LinkOption.NOFOLLOW_LINKS)) {
                        Files.deleteIfExists(p);
                    }
                } catch (NoSuchFileException e) {
                    // a session committed or removed it meanwhile
                }
            }
        }
        return removed;
    }
}
