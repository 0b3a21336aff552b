package dev.ferry.logging;

import java.time.Duration;

/**
 * What a round of syncing did, as one INFO line reads it: the sender's per-round {@code synced ...} and the
 * receiver's per-session {@code received ...} lines are both made here, so they say the same things the same way.
 *
 * @param files     files committed that needed bytes
 * @param bytes     their bytes
 * @param deletes   deletes done
 * @param renames   renames done
 * @param symlinks  symlinks made (named only when there are some)
 * @param unchanged files found already identical (named only when there are some)
 * @param failed    files or operations that failed (named only when there are some)
 */
public record Activity(long files, long bytes, long deletes, long renames, long symlinks, long unchanged,
                       long failed) {

    /** Whether there is anything to report: changed nothing, failed nothing. */
    public boolean isEmpty() {
        return files + deletes + renames + symlinks + failed == 0;
    }

    /**
     * {@code HEAD files=2 bytes=2.9 KiB deletes=0 renames=0 [symlinks=..] [unchanged=..] [failed=..] in 76ms}; null
     * when {@link #isEmpty()}.
     *
     * @param head what and for whom, e.g. {@code synced pair=/src target=ferry://h:1/f}
     */
    public String line(String head, Duration elapsed) {
        if (isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder(128).append(head).append(" files=").append(files).append(" bytes=")
                .append(Human.bytes(bytes)).append(" deletes=").append(deletes).append(" renames=").append(renames);
        if (symlinks > 0) {
            b.append(" symlinks=").append(symlinks);
        }
        if (unchanged > 0) {
            b.append(" unchanged=").append(unchanged);
        }
        if (failed > 0) {
            b.append(" failed=").append(failed);
        }
        return b.append(" in ").append(Human.duration(elapsed)).toString();
    }
}
