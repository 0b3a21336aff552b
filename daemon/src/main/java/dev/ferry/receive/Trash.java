package dev.ferry.receive;

import dev.ferry.disk.Directories;
import dev.ferry.path.RelativePath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Deleted and replaced files kept for a while instead of being lost: {@code <root>/.ferry/trash/YYYY-MM-DD/<path>},
 * dated by the receiver's clock. A name already taken that day gets {@code .1}, {@code .2}, ... Day folders older
 * than the retention are removed by {@link #expire}. Called on session threads (and by the receiver on new sessions).
 */
final class Trash {
    private Trash() {
    }

    static Path dir(Path root) {
        return root.resolve(SafePaths.STATE_DIR).resolve("trash");
    }

    /** Moves a file, symlink or directory tree into today's trash folder. */
    static void moveIn(Path root, Path target, Clock clock) throws IOException {
        Path slot = freeSlot(root, target, clock);
        Files.move(target, slot, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Keeps the file about to be replaced by hard-linking it into the trash (the replacing rename stays atomic). */
    static void keepCopy(Path root, Path target, Clock clock) throws IOException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createLink(freeSlot(root, target, clock), target);
        }
    }

    private static Path freeSlot(Path root, Path target, Clock clock) throws IOException {
        Path day = dir(root).resolve(LocalDate.now(clock).toString());
        Path slot = RelativePath.between(root, target).under(day);
        Files.createDirectories(slot.getParent());
        Path candidate = slot;
        for (int i = 1; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); i++) {
            candidate = slot.resolveSibling(slot.getFileName() + "." + i);
        }
        return candidate;
    }

    /** Removes the day folders older than {@code keep}; returns how many. Unknown names are left alone. */
    static int expire(Path root, Duration keep, Clock clock) throws IOException {
        Path trash = dir(root);
        if (!Files.isDirectory(trash)) {
            return 0;
        }
        LocalDate oldestKept = LocalDate.now(clock).minusDays(Math.max(0, keep.toDays()));
        int removed = 0;
        try (DirectoryStream<Path> days = Files.newDirectoryStream(trash)) {
            for (Path day : days) {
                try {
                    if (LocalDate.parse(day.getFileName().toString()).isBefore(oldestKept)) {
                        Directories.deleteTree(day);
                        removed++;
                    }
                } catch (DateTimeParseException e) {
                    // not ours
                }
            }
        }
        return removed;
    }
}
