package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one session sends: tree operations first (renames, deletes, symlinks, in the given order), then files,
 * then directories (deepest first, so their mtime sticks). {@code knownDigests} are hash lists the caller already
 * has (the daemon's index), keyed by local path; they are used when the file still has the listed size and mtime.
 *
 * @param skipped  special files a one-shot push leaves out (a line each in its report)
 * @param excluded source paths a one-shot push's {@code --exclude} patterns left out (a directory counts once)
 * @param inSync   what a one-shot push found on the receiver as it is and left out of the plan
 * @param sameSizeThere files of the plan (paths on the receiver) that the receiver lists with the same size: it may
 *                 hold them as they are (touched, or a mode changed), so they are offered with their hashes and
 *                 never sent inline; any other small file of a one-shot push's plan the receiver lacks for sure
 */
public record PushPlan(List<TreeEdit> ops, List<SourceEntry> files, List<SourceEntry> directories,
                       Map<Path, FileDigest> knownDigests, List<String> skipped, int excluded, InSync inSync,
                       Set<String> sameSizeThere) {
    /**
     * Entries the receiver's listing shows as they are, left out of a one-shot push's plan: files of the same size,
     * mtime and mode (the quick check; not with {@code --checksum}), symlinks of the same text and mtime, directories
     * of the same mtime and mode that nothing of the plan goes into.
     * Each set holds their paths on the receiver.
     */
    public record InSync(Set<String> files, Set<String> symlinks, Set<String> directories) {
        public static final InSync NONE = new InSync(Set.of(), Set.of(), Set.of());

        public InSync {
            files = Set.copyOf(files);
            symlinks = Set.copyOf(symlinks);
            directories = Set.copyOf(directories);
        }

        public boolean isEmpty() {
            return files.isEmpty() && symlinks.isEmpty() && directories.isEmpty();
        }
    }

    public PushPlan {
        ops = List.copyOf(ops);
        files = List.copyOf(files);
        directories = List.copyOf(directories);
        knownDigests = Map.copyOf(knownDigests);
        skipped = List.copyOf(skipped);
        sameSizeThere = Set.copyOf(sameSizeThere);
    }

    /** A plan with nothing known of what the receiver holds. */
    public PushPlan(List<TreeEdit> ops, List<SourceEntry> files, List<SourceEntry> directories,
                    Map<Path, FileDigest> knownDigests, List<String> skipped, int excluded, InSync inSync) {
        this(ops, files, directories, knownDigests, skipped, excluded, inSync, Set.of());
    }

    /** A plan that excluded nothing (the daemon's). */
    public PushPlan(List<TreeEdit> ops, List<SourceEntry> files, List<SourceEntry> directories,
                    Map<Path, FileDigest> knownDigests, List<String> skipped) {
        this(ops, files, directories, knownDigests, skipped, 0, InSync.NONE);
    }

    /** The same plan with these operations, files and directories in place of its own, {@code inSync} left out. */
    public PushPlan reconciled(List<TreeEdit> newOps, List<SourceEntry> newFiles, List<SourceEntry> newDirectories,
                               InSync newInSync, Set<String> newSameSizeThere) {
        return new PushPlan(newOps, newFiles, newDirectories, knownDigests, skipped, excluded, newInSync, newSameSizeThere);
    }

    public boolean isEmpty() {
        return ops.isEmpty() && files.isEmpty() && directories.isEmpty();
    }

    /**
     * An edit of the receiver's tree that moves no file bytes, as a plan sends it (named apart from the journal's
     * {@code TreeOp}, the durable record of an edit until the receiver answers, and from the receiver's
     * {@code TreeOps}, which carry edits out).
     */
    public sealed interface TreeEdit {
        /** The path the operation is about, for reports. */
        String path();

        /**
         * @param replaced the path is cleared for an entry of another kind the same plan sends (a directory where
         *                 a symlink was, say), rather than deleted because the source no longer has it
         */
        record Delete(String path, boolean replaced) implements TreeEdit {
            public Delete {
                Objects.requireNonNull(path, "path");
            }

            /** A path the source no longer has. */
            public Delete(String path) {
                this(path, false);
            }
        }

        record Rename(String from, String to) implements TreeEdit {
            @Override
            public String path() {
                return to;
            }
        }

        record Symlink(String path, String target, long mtimeSeconds, int mtimeNanos) implements TreeEdit {
        }
    }
}
