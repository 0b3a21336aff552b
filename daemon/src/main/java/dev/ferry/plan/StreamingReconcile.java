package dev.ferry.plan;

import dev.ferry.hash.FileDigest;
import dev.ferry.index.IndexEntry;
import dev.ferry.path.RelativePath;
import dev.ferry.push.SourceEntry;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The first sync of a target whose listing came while the source is still being walked: each batch of files the
 * walk finds is checked against the listing ({@link QuickCheck}) and what the target lacks is sent at once, so the
 * first files arrive while the walk goes on. Only files whose place on the target is free or holds a file are sent
 * this way; directories (their mtime moves as files land in them), symlinks, kind changes and deletes wait for the
 * full {@link Reconciler#diff} after the walk, made against {@link #listingWithSent()} so that it does not send the
 * streamed files again. (Not for {@code verify: checksum}, whose reconcile sends every file whatever the listing.)
 *
 * <p>Used by one thread (the one that walks the source).
 */
public final class StreamingReconcile {
    private final Path sourceRoot;
    private final String subdir;
    /** The listed entries by their source-relative path, with each streamed file as if it were there already. */
    private final Map<String, Frame.ListedEntry> remote = new HashMap<>();
    private long filesSent;

    /**
     * @param listing  the target's listing
     * @param subdir the target's folder below the receiver's folder root ("" = the root)
     */
    public StreamingReconcile(List<Frame.ListedEntry> listing, Path sourceRoot, String subdir) {
        this.sourceRoot = sourceRoot;
        this.subdir = subdir;
        for (Frame.ListedEntry e : listing) {
            if (subdir.isEmpty() || RelativePath.below(e.path(), subdir)) {
                remote.put(RelativePath.rebase(e.path(), subdir, ""), e);
            }
        }
    }

    /** The files of {@code found} that the target lacks, as a delta that supersedes nothing queued before it. */
    public Delta batch(List<IndexEntry> found) {
        List<SourceEntry> files = new ArrayList<>();
        Map<Path, FileDigest> digests = new HashMap<>();
        for (IndexEntry e : found) {
            if (e.kind() != EntryKind.FILE) {
                continue;
            }
            Frame.ListedEntry there = remote.get(e.path());
            if (there != null && there.kind() != EntryKind.FILE) {
                continue; // a directory or a symlink in its place: the full reconcile deletes it first
            }
            if (QuickCheck.same(there, EntryKind.FILE, e.size(), e.mtimeSeconds(), e.mtimeNanos(), e.mode())) {
                continue;
            }
            SourceEntry s = Reconciler.toSource(sourceRoot, e);
            files.add(s);
            if (e.digest() != null) {
                digests.put(s.local(), e.digest());
            }
            // as the receiver will list it once committed (permission bits only)
            remote.put(e.path(), new Frame.ListedEntry(EntryKind.FILE, RelativePath.join(subdir, e.path()), e.size(),
                    e.mtimeSeconds(), e.mtimeNanos(), e.mode() & 0777, ""));
        }
        filesSent += files.size();
        return new Delta(List.of(), files, List.of(), digests, false);
    }

    /** Files sent by {@link #batch} so far. */
    public long filesSent() {
        return filesSent;
    }

    /** The listing with every streamed file in it, for the full reconcile after the walk. */
    public List<Frame.ListedEntry> listingWithSent() {
        return List.copyOf(remote.values());
    }
}
