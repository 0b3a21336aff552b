package dev.ferry.watch;

import dev.ferry.path.RelativePath;
import java.util.Objects;

/**
 * What a {@link TreeWatcher} reports: a hint that something under the root may differ from what the caller knows.
 * Paths are relative to the root, with {@link RelativePath#ROOT} for the root itself. The caller finds the truth by
 * stat-ing (for {@link PathChanged}) or walking (for {@link Rescan}) and diffing against its index.
 */
public sealed interface Change {

    /** The relative path this change is about. */
    RelativePath path();

    /** Whether re-examining this change also re-examines {@code other}: the same path, or (for a rescan) below it. */
    boolean covers(RelativePath other);

    /**
     * The entry at {@code path} was created, modified, deleted, or moved in or out: re-examine it. For a directory
     * this is the directory entry itself; changes to its contents are reported separately.
     */
    record PathChanged(RelativePath path) implements Change {
        public PathChanged {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public boolean covers(RelativePath other) {
            return path.equals(other);
        }
    }

    /**
     * Examine the whole subtree at {@code path} again, the directory itself included ({@link RelativePath#ROOT} =
     * everything), because events for it may have been missed. {@code reason} says why: "overflow", "new directory",
     * "poll".
     */
    record Rescan(RelativePath path, String reason) implements Change {
        public Rescan {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean covers(RelativePath other) {
            return other.isWithin(path);
        }
    }
}
