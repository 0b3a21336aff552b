package dev.ferry.journal;

/**
 * A change to the target's tree that is not a file's content, queued in the journal until the receiver answers it.
 * Paths are '/'-separated and relative to the pair's root, as everywhere in ferry; the journal only checks that
 * they are non-empty, valid Unicode and at most {@value JournalFormat#MAX_PATH_BYTES} bytes in UTF-8 (the receiver
 * checks the rest).
 */
public sealed interface TreeOp {

    /** Remove {@code path} (and what lies under it) on the target. */
    record Delete(String path) implements TreeOp {
        public Delete {
            Strings.path("path", path);
        }
    }

    /** Move {@code from} to {@code to} on the target. */
    record Rename(String from, String to) implements TreeOp {
        public Rename {
            Strings.path("from", from);
            Strings.path("to", to);
        }
    }

    /** Create (or replace) the symlink {@code path} pointing at {@code target}. */
    record Symlink(String path, String target) implements TreeOp {
        public Symlink {
            Strings.path("path", path);
            Strings.path("target", target);
        }
    }

    /** Create the directory {@code path} on the target. */
    record MakeDir(String path) implements TreeOp {
        public MakeDir {
            Strings.path("path", path);
        }
    }
}
