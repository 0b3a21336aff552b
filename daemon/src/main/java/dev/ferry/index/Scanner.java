package dev.ferry.index;

import dev.ferry.path.RelativePath;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stats the source tree (never following symlinks) and brings a {@link SourceIndex} up to date, reading a file only
 * when its size, mtime or inode differ from its entry (or its digest was taken with another algorithm or chunk
 * size, or too close to its mtime to be trusted: see {@link ContentHasher}).
 *
 * <p>Ignored paths are skipped and never reported: those the predicate names, and always {@code .ferry} at the
 * root and what lies under it (the state folder of a receiver sharing this tree). Special files (fifos, sockets,
 * devices) are skipped with an INFO line, once per path (not on every rescan; past {@value #MAX_SPECIAL_NAMED} such
 * paths one more line says that the rest go unnamed, so a tree full of them neither floods the log nor grows the set).
 *
 * <p>Runs on the caller's thread; not thread-safe (it keeps counters): one per sync pair, used by its thread.
 */
public final class Scanner {
    static final String STATE_FOLDER = ".ferry";
    static final int MAX_SPECIAL_NAMED = 10_000;
    /** File type bits of st_mode (sys/stat.h). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;
    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final Path root;
    private final Predicate<String> ignored;
    private final ContentHasher hasher;
    /** Special files already logged; full at {@link #MAX_SPECIAL_NAMED}, then no more are named. */
    private final Set<String> specialNamed = new HashSet<>();
    private boolean specialUnnamed;

    public Scanner(Path root, HashAlgorithm algorithm, int chunkSize, Predicate<String> ignored) {
        this(root, algorithm, chunkSize, ignored, InstantSource.system());
    }

    /** @param clock tells when a digest was taken, to distrust digests of files modified just before */
    public Scanner(Path root, HashAlgorithm algorithm, int chunkSize, Predicate<String> ignored, InstantSource clock) {
        this.root = root;
        this.ignored = ignored;
        this.hasher = new ContentHasher(algorithm, chunkSize, clock);
    }

    /** True for {@code .ferry}, anything under it, and what the ignore predicate names. */
    public boolean ignores(String path) {
        return RelativePath.within(path, STATE_FOLDER) || ignored.test(path);
    }

    /**
     * Stats one path now: its fresh entry, with {@code previous}'s digest if the file has not moved, else hashed.
     * Empty if the path does not exist, is a special file, is ignored, or lies under something that is not a real
     * directory (a symlink, say: a stale event must not make ferry read outside the tree).
     *
     * @throws NoSuchFileException if the path is missing because the source root is (see {@link #scan})
     */
    public Optional<IndexEntry> describe(String path, IndexEntry previous) throws IOException {
        RelativePath.check("path", path, false);
        if (ignoredOrUnderIgnored(path)) {
            hasher.forget(path);
            return Optional.empty();
        }
        Path file = resolve(path);
        Optional<Stat> s = ancestorsAreDirectories(path) ? stat(file) : Optional.empty();
        if (s.isEmpty()) {
            requireRoot();
            hasher.forget(path);
            return Optional.empty();
        }
        return entry(path, file, s.get(), previous);
    }

    /**
     * Scans {@code subtree} ("" = the whole source; else that path and what lies under it) against {@code index}:
     * puts new and changed entries, removes vanished ones, and says which. A directory that cannot be listed keeps
     * its indexed contents (with a WARN) rather than having them reported removed.
     *
     * @throws NoSuchFileException   if the source root is missing: every entry would look deleted, so ferry must not
     *                               guess (a removed mount point looks like this)
     * @throws NotDirectoryException if the root is not a directory
     */
    public ScanResult scan(String subtree, SourceIndex index) throws IOException {
        return scan(subtree, index, ScanListener.NONE);
    }

    /**
     * {@link #scan(String, SourceIndex)}, telling {@code listener} of each directory before listing it and of each
     * entry found.
     */
    public ScanResult scan(String subtree, SourceIndex index, ScanListener listener) throws IOException {
        RelativePath.check("subtree", subtree, true);
        requireRoot();
        TreeWalk w = new TreeWalk(this, index, listener);
        if (subtree.isEmpty()) {
            w.walk("");
        } else {
            Optional<IndexEntry> top = describe(subtree, index.get(subtree).orElse(null));
            if (top.isPresent()) {
                w.record(top.get());
                if (top.get().kind() == EntryKind.DIRECTORY) {
                    w.walk(subtree);
                }
            }
        }
        return w.finish(subtree);
    }

    /** Files read to hash them since this scanner was made (a file re-read because it changed counts again). */
    public long filesHashed() {
        return hasher.filesHashed();
    }

    public long bytesHashed() {
        return hasher.bytesHashed();
    }

    public Path root() {
        return root;
    }

    /** Forgets what the hasher remembers of a path that left the index. */
    void forget(String path) {
        hasher.forget(path);
    }

    /**
     * {@code previous} itself if {@code stat} shows its directory, or its file with a digest that may be reused,
     * unchanged (what {@link #entry} would make of it equals it): a restart's walk then makes no entry, no
     * {@code Path} and no check per unchanged path. Null otherwise (symlinks are always read again).
     */
    IndexEntry unchanged(String path, Stat stat, IndexEntry previous) {
        if (previous == null || stat.kind() != previous.kind() || stat.mode() != previous.mode()
                || !stat.sameContentAs(previous)) {
            return null;
        }
        return switch (stat.kind()) {
            case DIRECTORY -> previous;
            case FILE -> hasher.reusable(path, stat, previous) ? previous : null;
            case SYMLINK -> null;
        };
    }

    /** The entry for {@code path} last stat'ed as {@code stat}; empty if it is a special file or vanished. */
    Optional<IndexEntry> entry(String path, Path file, Stat stat, IndexEntry previous) throws IOException {
        for (int look = 1; look <= ContentHasher.MAX_TRIES; look++) {
            switch (stat.kind()) {
                case null -> {
                    special(path, file);
                    hasher.forget(path);
                    return Optional.empty();
                }
                case DIRECTORY -> {
                    return Optional.of(stat.toEntry(path, null, null));
                }
                case SYMLINK -> {
                    try {
                        return Optional.of(stat.toEntry(path, Files.readSymbolicLink(file).toString(), null));
                    } catch (NoSuchFileException | NotLinkException e) {
                        // replaced since the stat: look again
                    }
                }
                case FILE -> {
                    Optional<ContentHasher.Hashed> h = hasher.digest(path, file, stat, previous);
                    if (h.isEmpty()) {
                        return Optional.empty();
                    }
                    if (h.get().stat().kind() == EntryKind.FILE) {
                        return Optional.of(h.get().stat().toEntry(path, null, h.get().digest()));
                    }
                    stat = h.get().stat(); // replaced by another kind while read
                    continue;
                }
            }
            Optional<Stat> again = stat(file);
            if (again.isEmpty()) {
                return Optional.empty();
            }
            stat = again.get();
        }
        log.debug("{} kept changing kind while looked at; skipped for now", path);
        return Optional.empty();
    }

    /** Logs a skipped special file the first time it is seen. The pair is named by its source root, as it names itself. */
    private void special(String path, Path file) {
        if (specialNamed.contains(path)) {
            return;
        }
        if (specialNamed.size() < MAX_SPECIAL_NAMED) {
            specialNamed.add(path);
            log.info("pair={} skipping special file {} ({})", root, path, specialKind(file));
        } else if (!specialUnnamed) {
            specialUnnamed = true;
            log.info("pair={} skipping more than {} special files; the others are not named", root, MAX_SPECIAL_NAMED);
        }
    }

    /** What kind of special file, from the type bits of its mode; "special file" if that cannot be told. */
    static String specialKind(Path file) {
        try {
            int mode = ((Number) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            return switch (mode & S_IFMT) {
                case S_IFIFO -> "fifo";
                case S_IFSOCK -> "socket";
                case S_IFCHR -> "character device";
                case S_IFBLK -> "block device";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "special file"; // gone since, or a file system without the unix view
        }
    }

    /** Each ancestor of {@code path} is a real directory (not a symlink to one). */
    private boolean ancestorsAreDirectories(String path) throws IOException {
        for (String dir : RelativePath.ancestors(path)) {
            Optional<Stat> s = stat(resolve(dir));
            if (s.isEmpty() || s.get().kind() != EntryKind.DIRECTORY) {
                return false;
            }
        }
        return true;
    }

    /** The root is followed if it is a symlink: the user named it. */
    void requireRoot() throws IOException {
        if (!Files.isDirectory(root)) {
            if (Files.notExists(root)) {
                throw new NoSuchFileException(root.toString(), null, "source root is missing; not scanning");
            }
            throw new NotDirectoryException(root.toString());
        }
    }

    /** True if {@code path} or one of its ancestors is ignored. */
    boolean ignoredOrUnderIgnored(String path) {
        if (ignores(path)) {
            return true;
        }
        for (String dir : RelativePath.ancestors(path)) {
            if (ignores(dir)) {
                return true;
            }
        }
        return false;
    }

    /** lstat; empty if nothing is there, including when a parent was replaced by a non-directory meanwhile. */
    static Optional<Stat> stat(Path file) throws IOException {
        try {
            return Stat.ifExists(file);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (FileSystemException e) {
            Path parent = file.getParent();
            if (parent != null && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // ENOTDIR: the parent is no longer a directory
            }
            throw e;
        }
    }

    Path resolve(String path) {
        return RelativePath.of(path).under(root);
    }
}
