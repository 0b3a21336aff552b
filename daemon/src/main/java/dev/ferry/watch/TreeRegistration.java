package dev.ferry.watch;

import dev.ferry.path.RelativePath;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchKey;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the directories of a subtree, parents before children, without following symlinks and skipping what
 * the ignore predicate names. A directory already watched under the same file key is left alone, so walking a
 * subtree again (after OVERFLOW, or when a directory appears) only registers what is new.
 *
 * <p>When the inotify watch limit is reached, the rest of the walk marks directories unwatched without trying (each
 * try would fail the same way), and one WARN tells the operator what to raise; {@link #retry} later checks with a
 * single registration whether watches became available again.
 *
 * <p>Runs on the thread that owns the {@link WatchTable}.
 */
final class TreeRegistration {
    private static final Logger log = LoggerFactory.getLogger(TreeRegistration.class);
    private static final String LIMIT_WARNING = "inotify watch limit reached after {} directories: raise "
            + "fs.inotify.max_user_watches (now {}, read from {}) to at least {}, e.g. sysctl "
            + "fs.inotify.max_user_watches={}; meanwhile polling {} directories every {}";

    /**
     * What one walk did.
     *
     * @param seen        the directories the walk visited (ignored ones excluded)
     * @param limitHit    whether the watch limit stopped registration during this walk
     * @param topFailure  why the walk's top directory could not be registered (other than the limit), or null
     */
    record Result(Set<String> seen, boolean limitHit, IOException topFailure) {
    }

    private final Path root;
    private final Registrar registrar;
    private final Predicate<String> ignored;
    private final WatchTable table;
    private final WatcherOptions options;
    private final BooleanSupplier stopping;
    private boolean warned;

    /** {@code stopping} ends a walk early (a new subtree or a re-walk after OVERFLOW can be large) once it says so. */
    TreeRegistration(Path root, Registrar registrar, Predicate<String> ignored, WatchTable table,
            WatcherOptions options, BooleanSupplier stopping) {
        this.root = root;
        this.registrar = registrar;
        this.ignored = ignored;
        this.table = table;
        this.options = options;
        this.stopping = stopping;
    }

    /** Registers {@code top} (relative to the root) and every directory below it. */
    Result register(String top) {
        Walk walk = new Walk(top);
        try {
            Files.walkFileTree(RelativePath.of(top).under(root), walk);
        } catch (IOException e) {
            // the visitor throws nothing; a walk that could not even start is the top's failure
            walk.topFailure = e;
        }
        return end(walk);
    }

    /**
     * A walk of the whole tree that another walker drives (the first scan's, so that the tree is read once at
     * start): it calls {@link Walk#directory} for each directory before it lists that directory's entries, then
     * {@link #end}.
     */
    Walk begin() {
        return new Walk("");
    }

    /** What {@code walk} did; warns once if it reached the watch limit. */
    Result end(Walk walk) {
        if (walk.limitHit) {
            warnOnce(walk.watchedAtLimit);
        }
        if (warned && !table.hasUnwatched()) {
            warned = false;
            log.info("all directories are watched again directories={}", table.watchedCount());
        }
        return new Result(walk.seen, walk.limitHit, walk.topFailure);
    }

    /**
     * Tries to register the unwatched directory {@code dir} again and, if that works, its subtree. Returns false if
     * the watch limit still holds (one failed registration, no walk), so the caller need not try others.
     */
    boolean retry(String dir) {
        Path path = RelativePath.of(dir).under(root);
        WatchKey key;
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            key = registrar.register(path);
        } catch (IOException e) {
            if (Registrar.isWatchLimit(e)) {
                return false;
            }
            log.debug("still cannot watch dir={} reason={}", dir, e.toString());
            return true;
        }
        table.watch(dir, key, fileKey);
        table.clearUnwatched(dir);
        return !register(dir).limitHit();
    }

    private void warnOnce(int watchedAtLimit) {
        if (warned) {
            return;
        }
        warned = true;
        int tree = table.watchedCount() + table.unwatchedCount();
        OptionalLong now = registrar.watchLimit();
        long suggested = suggestedLimit(now, watchedAtLimit, tree);
        log.warn(LIMIT_WARNING, watchedAtLimit, now.isPresent() ? Long.toString(now.getAsLong()) : "unknown",
                Registrar.MAX_USER_WATCHES, suggested, suggested, table.unwatchedCount(), options.pollIntervalText());
    }

    /**
     * The limit to suggest. The limit is per user and other programs hold watches too, so what they hold (the
     * current limit less our watches, since it was just reached) is kept, plus room for this tree twice over so that
     * it may grow; rounded up to a multiple of 1024.
     */
    static long suggestedLimit(OptionalLong now, int watchedByUs, int treeDirectories) {
        long others = now.isPresent() ? Math.max(0, now.getAsLong() - watchedByUs) : 0;
        long wanted = others + 2L * treeDirectories;
        return (wanted + 1023) / 1024 * 1024;
    }

    /** One walk's visitor and what it found. */
    final class Walk extends SimpleFileVisitor<Path> {
        private final String top;
        private final Set<String> seen = new HashSet<>();
        private boolean limitHit;
        private int watchedAtLimit;
        private IOException topFailure;

        Walk(String top) {
            this.top = top;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (stopping.getAsBoolean()) {
                return FileVisitResult.TERMINATE;
            }
            String rel = RelativePath.between(root, dir).text();
            if (!rel.isEmpty() && ignored.test(rel)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            return directory(rel, dir, attrs.fileKey()) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
        }

        /**
         * Registers the directory {@code rel} (at {@code dir}, with the file key it was seen with) unless it is
         * watched already; false if it vanished, so its subtree is not to be walked.
         */
        boolean directory(String rel, Path dir, Object fileKey) {
            seen.add(rel);
            if (table.isWatched(rel, fileKey)) {
                return true;
            }
            if (limitHit) {
                table.unwatched(rel);
                return true;
            }
            try {
                table.watch(rel, registrar.register(dir), fileKey);
            } catch (NoSuchFileException e) {
                seen.remove(rel);
                if (rel.equals(top)) {
                    topFailure = e;
                }
                return false;
            } catch (IOException e) {
                if (Registrar.isWatchLimit(e)) {
                    limitHit = true;
                    watchedAtLimit = table.watchedCount();
                    table.unwatched(rel);
                } else {
                    failed(rel, e);
                }
            }
            return true;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) {
                // an entry that vanished during the walk is normal; anything else is worth a line
                failed(RelativePath.between(root, file).text(), e);
            } else if (RelativePath.between(root, file).text().equals(top)) {
                topFailure = e;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null && !(e instanceof NoSuchFileException)) {
                log.warn("cannot list dir={} reason={}", RelativePath.between(root, dir).text(), e.toString());
            }
            return FileVisitResult.CONTINUE;
        }

        private void failed(String rel, IOException e) {
            if (rel.equals(top)) {
                topFailure = e;
            }
            log.warn("cannot watch dir={} reason={}", rel, e.toString());
        }
    }
}
