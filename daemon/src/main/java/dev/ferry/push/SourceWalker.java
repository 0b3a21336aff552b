package dev.ferry.push;

import dev.ferry.disk.Beneath;
import dev.ferry.disk.Stat;
import dev.ferry.disk.TreeWalk;
import dev.ferry.path.RelativePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists what a push sends, with rsync's trailing-slash rule: {@code dir} sends the directory itself (it appears as
 * {@code SUBDIR/dir}), {@code dir/} sends its contents (into {@code SUBDIR}), a file or a symlink is sent into
 * {@code SUBDIR}. Symlinks become SYMLINK operations carrying the link's text as {@code readlink} gives it (never
 * followed: a link to a directory is a link, not the directory's contents); they go first, files follow in walk
 * order, directories last, deepest first, so that their mtime is set after their contents are written. Special
 * files (sockets, FIFOs, devices) are skipped, each named in the plan's {@code skipped}. A path the
 * {@code excluded} test holds (asked with the path below SRC, or a single file's name) is left out with everything
 * under it, and counted. Runs on the caller's thread.
 */
final class SourceWalker {
    private static final Logger log = LoggerFactory.getLogger(SourceWalker.class);

    private SourceWalker() {
    }

    static PushPlan walk(Path source, boolean contentsOnly, String subdir, Predicate<String> excluded) throws IOException {
        BasicFileAttributes top = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (top.isSymbolicLink() && contentsOnly && Files.isDirectory(source)) {
            // "link/" names the directory the link points to, as with rsync: its contents are pushed
            return walk(source.toRealPath(), true, subdir, excluded);
        }
        String name = name(source);
        String base = RelativePath.join(subdir, contentsOnly && top.isDirectory() ? "" : name);
        if (!top.isDirectory()) {
            if (excluded.test(name)) {
                return new PushPlan(List.of(), List.of(), List.of(), Map.of(), List.of(), 1, PushPlan.InSync.NONE);
            }
            if (top.isSymbolicLink()) {
                return new PushPlan(List.of(symlink(source, base, top)), List.of(), List.of(), Map.of(), List.of(), 0, PushPlan.InSync.NONE);
            }
            if (!top.isRegularFile()) {
                throw new IOException(source + " is not a regular file, a symlink or a directory");
            }
            return new PushPlan(List.of(), List.of(SourceEntry.stat(source, base, false)), List.of(), Map.of(), List.of(), 0, PushPlan.InSync.NONE);
        }
        return new Walk(source, base, excluded).run();
    }

    /**
     * The path a push of {@code source} fills on the receiver: where a single file or symlink goes, or the directory
     * whose contents it sends ({@code subdir} for {@code SRC/}, {@code subdir/NAME} for {@code SRC}).
     */
    static String base(Path source, boolean contentsOnly, String subdir) {
        boolean directory = Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)
                || contentsOnly && Files.isDirectory(source); // "link/": the directory it points to
        return RelativePath.join(subdir, contentsOnly && directory ? "" : name(source));
    }

    private static String name(Path source) {
        return source.getFileName() == null ? "" : source.getFileName().toString();
    }

    /**
     * One walk's findings. The walk lists each directory with getdents64 and stats each entry with one statx
     * relative to its directory's descriptor (disk.TreeWalk, through a {@link Beneath} on the source), never
     * following a symlink: where the JDK's walk made a stat of its own, a Path and an attribute object per entry, and
     * a second stat here for the mode. An entry gone between the listing and its stat is left out.
     */
    private static final class Walk implements TreeWalk.Visitor {
        private final Path source;
        private final String base;
        private final Predicate<String> excluded;
        private final List<PushPlan.TreeEdit> links = new ArrayList<>();
        private final List<SourceEntry> files = new ArrayList<>();
        /** Parents before children, as the walk meets them ({@link #run} turns them round). */
        private final List<SourceEntry> dirs = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private int excludedCount;

        Walk(Path source, String base, Predicate<String> excluded) {
            this.source = source;
            this.base = base;
            this.excluded = excluded;
        }

        PushPlan run() throws IOException {
            try (Beneath tree = Beneath.open(source)) {
                tree.walk("", this);
            }
            List<SourceEntry> deepestFirst = new ArrayList<>(dirs.reversed()); // (each below its parent: children first)
            if (!base.isEmpty()) {
                deepestFirst.add(SourceEntry.stat(source, base, true)); // the pushed directory itself, last
            }
            return new PushPlan(links, files, deepestFirst, Map.of(), skipped, excludedCount, PushPlan.InSync.NONE);
        }

        @Override
        public boolean visit(String rel, Stat stat, String linkTarget) {
            if (excluded.test(rel)) {
                excludedCount++;
                return false;
            }
            String remote = RelativePath.join(base, rel);
            switch (stat.kind()) {
                case FILE -> files.add(new SourceEntry(source.resolve(rel), remote, false, stat.size(), stat.mtimeSeconds(),
                        stat.mtimeNanos(), stat.mode()));
                case DIRECTORY -> dirs.add(new SourceEntry(source.resolve(rel), remote, true, 0, stat.mtimeSeconds(),
                        stat.mtimeNanos(), stat.mode()));
                case SYMLINK -> links.add(new PushPlan.TreeEdit.Symlink(remote, linkTarget, stat.mtimeSeconds(), stat.mtimeNanos()));
                case OTHER -> {
                    log.debug("skipping special file {}", source.resolve(rel)); // (the push reports each skipped file itself)
                    skipped.add(remote + " (special file)");
                }
            }
            return true;
        }
    }

    /** The link at {@code local} as a SYMLINK operation: its text as stored, its own mtime (lstat). */
    private static PushPlan.TreeEdit.Symlink symlink(Path local, String remote, BasicFileAttributes attrs) throws IOException {
        Instant mtime = attrs.lastModifiedTime().toInstant();
        return new PushPlan.TreeEdit.Symlink(remote, Files.readSymbolicLink(local).toString(), mtime.getEpochSecond(),
                mtime.getNano());
    }
}
