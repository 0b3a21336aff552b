package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import dev.ferry.disk.Beneath;
import dev.ferry.hash.FileDigest;
import dev.ferry.disk.NotBeneathException;
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
    private final Beneath folder;
    /** The final path, relative to the root. */
    private final String target;
    private final boolean fsync;
    /** Where the replaced version goes: the day of the trash folder; null without a trash. */
    private final Clock trashClock;
    /** The file's chunk hashes, kept in {@link HeldHashes} once it is in place; null for a file too small to keep. */
    private final FileDigest held;

    /**
     * @param fsync      force the data before the rename (and, by the group, the directory after it)
     * @param trashClock keep the version being replaced in the trash, dated by this clock; null: don't
     * @param held       the chunk hashes to keep for the next version, or null
     */
    VerifiedFile(int fileId, String printablePath, PartialFile partial, Beneath folder, String target, boolean fsync,
                 Clock trashClock, FileDigest held) {
        this.fileId = fileId;
        this.printablePath = printablePath;
        this.partial = partial;
        this.folder = folder;
        this.target = target;
        this.fsync = fsync;
        this.trashClock = trashClock;
        this.held = held;
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

    Beneath folder() {
        return folder;
    }

    /**
     * Commit, step 3: atomic rename into place (its parents created as needed, all beneath the root). Returns the
     * directory whose entry changed, relative to the root ("" for the root itself).
     */
    String install() throws FileFailure {
        try {
            partial.close();
            String parent = SafePaths.parent(target);
            if (trashClock != null) {
                folder.mkdirs(parent);
                Trash.keepCopy(folder, target, trashClock);
            }
            try {
                partial.moveTo(target);
            } catch (NoSuchFileException e) { // the parent is new: made now (not looked for first: two calls per file)
                folder.mkdirs(parent);
                partial.moveTo(target);
            }
            if (held != null) {
                new HeldHashes(folder).keep(target, held.algorithm(), held.chunkSize(), held.chunkHashes());
            }
            return parent;
        } catch (NotBeneathException e) {
            throw new FileFailure(ErrorCode.BAD_PATH, "refused path: " + SafePaths.throughSymlink(target), e);
        } catch (IOException e) {
            throw FileFailure.of("cannot commit '" + printablePath + "'", e);
        }
    }
}
