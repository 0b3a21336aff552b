package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A received file whose whole-file hash checked out, waiting in a {@link CommitGroup} for the last two steps of its
 * commit: its data forced to disk ({@link #force}, on any thread: a group forces its files in parallel), then the
 * atomic rename into place ({@link #install}, on the session thread).
 */
final class VerifiedFile {
    private final int fileId;
    private final String printablePath;
    private final PartialFile partial;
    private final Path root;
    private final Path target;
    private final boolean fsync;
    /** Where the replaced version goes: the day of the trash folder; null without a trash. */
    private final Clock trashClock;

    /**
     * @param fsync      force the data before the rename (and, by the group, the directory after it)
     * @param trashClock keep the version being replaced in the trash, dated by this clock; null: don't
     */
    VerifiedFile(int fileId, String printablePath, PartialFile partial, Path root, Path target, boolean fsync, Clock trashClock) {
        this.fileId = fileId;
        this.printablePath = printablePath;
        this.partial = partial;
        this.root = root;
        this.target = target;
        this.fsync = fsync;
        this.trashClock = trashClock;
    }

    int fileId() {
        return fileId;
    }

    String printablePath() {
        return printablePath;
    }

    /** Commit, step 2: the data on disk. */
    void force() throws FileFailure {
        if (!fsync) {
            return;
        }
        try {
            partial.force();
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + printablePath + "'", e);
        }
    }

    /** Commit, step 3: atomic rename into place. Returns the directory whose entry changed. */
    Path install() throws FileFailure {
        try {
            partial.close();
            SafePaths.createParents(root, target);
            if (trashClock != null) {
                Trash.keepCopy(root, target, trashClock);
            }
            partial.moveTo(target);
            return target.getParent();
        } catch (BadPathException e) {
            throw new FileFailure(ErrorCode.BAD_PATH, e.getMessage());
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + printablePath + "'", e);
        }
    }
}
