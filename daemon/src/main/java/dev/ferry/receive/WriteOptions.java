package dev.ferry.receive;

import dev.ferry.time.FerryClock;
import java.time.Clock;
import java.time.ZoneId;

/**
 * How a session writes what it receives, the same for all its files.
 *
 * @param fsync force chunks to disk before they are acknowledged, each file before its rename, and its directory
 * @param trash keep the versions that deletes and replacements destroy in the trash
 * @param clock the receiver's clock: trash days, and the age of kept partial files
 * @param held  the folder's index of the chunks its big files hold, which new files are made from where they can
 */
record WriteOptions(boolean fsync, boolean trash, FerryClock clock, ChunkIndex held) {
    /** The clock that dates trash folders (the host's time zone); null without a trash. */
    Clock trashClock() {
        return trash ? clock.withZone(ZoneId.systemDefault()) : null;
    }
}
