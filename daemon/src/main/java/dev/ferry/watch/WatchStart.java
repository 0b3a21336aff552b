package dev.ferry.watch;

import dev.ferry.path.RelativePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;

/**
 * A {@link TreeWatcher} whose first registration rides on its caller's walk of the tree (the first scan), so that
 * a start reads every directory once, not once for the watches and once more for the scan.
 *
 * <p>The no-lost-event rule holds as in {@link TreeWatcher#start}: the caller hands each directory to
 * {@link #directory} before it lists the directory's entries, so a change made meanwhile is either listed by the
 * walk or queued as an event, which the watcher reports once {@link #start} has started its thread.
 *
 * <p>Owned by the caller's thread from {@link TreeWatcher#prepare} to {@link #start} (or {@link #close}).
 */
public final class WatchStart implements AutoCloseable {
    private final Path root;
    private final Predicate<String> ignored;
    private final WatchLoop loop;
    private final TreeRegistration.Walk walk;
    private boolean ended;

    WatchStart(Path root, Predicate<String> ignored, WatchLoop loop) {
        this.root = root;
        this.ignored = ignored;
        this.loop = loop;
        this.walk = loop.beginTree();
    }

    /**
     * Watches the directory {@code dir} ('/'-separated, relative to the root; "" for the root itself) unless it is
     * ignored; call it before listing the directory. A directory that vanished meanwhile is skipped.
     */
    public void directory(String dir) {
        if (!dir.isEmpty() && ignored.test(dir)) {
            return;
        }
        Path path = RelativePath.of(dir).under(root);
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            fileKey = null; // gone, most likely: the registration says so, and for the root that fails the start
        }
        walk.directory(dir, path, fileKey);
    }

    /**
     * Ends the walk and starts reporting changes.
     *
     * @throws IOException if the root could not be watched; nothing stays registered then
     */
    public TreeWatcher start() throws IOException {
        ended = true;
        loop.endTree(walk);
        return TreeWatcher.run(root, loop);
    }

    /**
     * Registers the whole tree with a walk of its own (for a start without a scan of the caller's), then starts
     * reporting changes.
     *
     * @throws IOException if the root could not be watched; nothing stays registered then
     */
    public TreeWatcher startWalking() throws IOException {
        ended = true;
        loop.registerTree();
        return TreeWatcher.run(root, loop);
    }

    /** Given up before {@link #start}: forgets what was registered. After a start it does nothing. */
    @Override
    public void close() {
        if (!ended) {
            ended = true;
            loop.abandon();
        }
    }
}
