package dev.ferry.index;

import dev.ferry.path.RelativePath;
import dev.ferry.wire.EntryKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Scanner#scan}: walks a subtree depth first, puts what is new or changed into the index, then removes
 * what it did not see, and remembers which directories it could not list (their indexed contents are kept).
 * Used once, on the scanning thread.
 */
final class TreeWalk {
    private static final Logger log = LoggerFactory.getLogger(Scanner.class);

    private final Scanner scanner;
    private final SourceIndex index;
    private final ScanListener listener;
    private final Set<String> seen = new HashSet<>();
    private final List<String> changed = new ArrayList<>();
    private final List<String> unlisted = new ArrayList<>();
    private int files;
    private int directories;
    private final boolean nativeWay;

    TreeWalk(Scanner scanner, SourceIndex index, ScanListener listener) {
        this.scanner = scanner;
        this.index = index;
        this.listener = listener;
        this.nativeWay = DirectoryEntries.nativeFor(scanner.root());
    }

    void record(IndexEntry e) throws IOException {
        record(e, index.get(e.path()).orElse(null));
    }

    /** @param indexed what the index holds at {@code e}'s path (looked up once per entry: a walk does 100,000s) */
    private void record(IndexEntry e, IndexEntry indexed) throws IOException {
        listener.found(e);
        seen.add(e.path());
        switch (e.kind()) {
            case FILE -> files++;
            case DIRECTORY -> directories++;
            case SYMLINK -> {
            }
        }
        if (e != indexed && !e.equals(indexed)) {
            index.put(e);
            changed.add(e.path());
        }
    }

    /** Depth first with an explicit stack: a deep tree must not overflow the thread's stack. */
    void walk(String start) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("scan interrupted"); // nothing is swept: the index stays as it was
            }
            String dir = todo.pop();
            listener.listing(dir);
            try (DirectoryEntries children = list(dir)) {
                if (children != null) {
                    walkChildren(dir, children, todo);
                }
            }
        }
    }

    private void walkChildren(String dir, DirectoryEntries children, Deque<String> todo) throws IOException {
        for (int i = 0; i < children.size(); i++) {
            String path = RelativePath.join(dir, children.name(i));
            if (scanner.ignores(path)) {
                continue;
            }
            Optional<Stat> s = children.stat(i);
            if (s.isEmpty()) {
                continue;
            }
            IndexEntry indexed = index.get(path).orElse(null);
            IndexEntry same = scanner.unchanged(path, s.get(), indexed);
            Optional<IndexEntry> e = same != null ? Optional.of(same)
                    : scanner.entry(path, scanner.resolve(path), s.get(), indexed);
            if (e.isPresent()) {
                record(e.get(), indexed);
                if (e.get().kind() == EntryKind.DIRECTORY) {
                    todo.push(path);
                }
            }
        }
    }

    /**
     * The children of {@code dir}; null if it cannot be listed (then kept as it is, or swept if it is gone). A
     * directory is not followed if it became a symlink since it was stat'ed (the root is: the user named it).
     */
    private DirectoryEntries list(String dir) throws IOException {
        try {
            return DirectoryEntries.open(scanner.resolve(dir), dir, nativeWay);
        } catch (NoSuchFileException | NotDirectoryException e) {
            if (dir.isEmpty()) {
                throw e;
            }
            seen.remove(dir); // replaced or gone since it was stat'ed: swept below, the next look settles it
            changed.remove(dir);
            return null;
        } catch (IOException e) {
            if (dir.isEmpty()) {
                throw e;
            }
            log.warn("cannot list {}: {}; keeping what the index holds under it", dir, e.toString());
            unlisted.add(dir);
            return null;
        }
    }

    /** Removes what the walk did not see; checks the root first, so that an unmount mid-walk deletes nothing. */
    ScanResult finish(String subtree) throws IOException {
        scanner.requireRoot();
        List<String> removed = new ArrayList<>();
        List<IndexEntry> candidates = new ArrayList<>();
        if (!subtree.isEmpty()) {
            index.get(subtree).ifPresent(candidates::add);
        }
        candidates.addAll(index.under(subtree));
        for (IndexEntry e : candidates) {
            String path = e.path();
            if (seen.contains(path) || insideUnlisted(path)) {
                continue;
            }
            index.remove(path);
            scanner.forget(path);
            if (!scanner.ignoredOrUnderIgnored(path)) {
                removed.add(path);
            }
        }
        Collections.sort(changed);
        return new ScanResult(changed, removed, files, directories);
    }

    private boolean insideUnlisted(String path) {
        for (String dir : unlisted) {
            if (RelativePath.below(path, dir)) {
                return true;
            }
        }
        return false;
    }
}
