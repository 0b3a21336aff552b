package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deleted and replaced files kept for a while instead of being lost: {@code <root>/.ferry/trash/YYYY-MM-DD/<path>},
 * dated by the receiver's clock. A name already taken that day gets {@code .1}, {@code .2}, ... Day folders older
 * than the retention are removed by {@link #expire}. Every move, link and removal goes through the folder's
 * {@link Beneath} (a rename that would replace a slot taken meanwhile fails and takes the next name). Called on
 * session threads (and by the receiver on new sessions).
 */
final class Trash {
    /** The trash folder, relative to the root. */
    static final String DIR = SafePaths.STATE_DIR + "/trash";
    /** Slots tried per name before giving up (a name taken 1,000 times in a day is not a trash any more). */
    private static final int MAX_SLOTS = 1000;

    private Trash() {
    }

    /** Moves a file, symlink or directory tree at {@code rel} into today's trash folder. */
    static void moveIn(Beneath folder, String rel, Clock clock) throws IOException {
        String slot = slotBase(folder, rel, clock);
        for (int i = 0; i < MAX_SLOTS; i++) {
            try {
                folder.rename(rel, i == 0 ? slot : slot + "." + i, false);
                return;
            } catch (FileAlreadyExistsException e) {
                // taken: the next one
            }
        }
        throw new FileAlreadyExistsException(slot, null, "no free name in the trash");
    }

    /** Keeps the file about to be replaced by hard-linking it into the trash (the replacing rename stays atomic). */
    static void keepCopy(Beneath folder, String rel, Clock clock) throws IOException {
        Stat s = folder.stat(rel);
        if (s == null || !s.isFile()) {
            return;
        }
        String slot = slotBase(folder, rel, clock);
        for (int i = 0; i < MAX_SLOTS; i++) {
            try {
                folder.link(rel, i == 0 ? slot : slot + "." + i);
                return;
            } catch (FileAlreadyExistsException e) {
                // taken: the next one
            } catch (NoSuchFileException e) {
                return; // gone meanwhile: nothing to keep
            }
        }
        throw new FileAlreadyExistsException(slot, null, "no free name in the trash");
    }

    /** Today's place for {@code rel} in the trash, its parent folders created. */
    private static String slotBase(Beneath folder, String rel, Clock clock) throws IOException {
        String slot = DIR + "/" + LocalDate.now(clock) + "/" + rel;
        folder.mkdirs(SafePaths.parent(slot));
        return slot;
    }

    /** Removes the day folders older than {@code keep}; returns how many. Unknown names are left alone. */
    static int expire(Beneath folder, Duration keep, Clock clock) throws IOException {
        Stat trash = folder.stat(DIR);
        if (trash == null || !trash.isDirectory()) {
            return 0;
        }
        LocalDate oldestKept = LocalDate.now(clock).minusDays(Math.max(0, keep.toDays()));
        List<String> old = new ArrayList<>();
        folder.walk(DIR, (rel, stat, target) -> {
            try {
                if (stat.isDirectory() && LocalDate.parse(rel.substring(DIR.length() + 1)).isBefore(oldestKept)) {
                    old.add(rel);
                }
            } catch (DateTimeParseException e) {
                // not ours
            }
            return false;
        });
        for (String day : old) {
            folder.deleteTree(day);
        }
        return old.size();
    }
}
