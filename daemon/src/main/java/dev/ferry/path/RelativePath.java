package dev.ferry.path;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;

/**
 * A path relative to a folder root: plain names separated by single '/', no empty, "." or ".." segment, no NUL, no
 * leading or trailing '/'. {@link #ROOT} ({@code ""}) is the root itself. Immutable; ordered as its text, so a sorted
 * set of them lists a directory right before what lies below it.
 *
 * <p>The static {@code String} forms ({@link #join(String, String)}, {@link #within(String, String)},
 * {@link #rebase(String, String, String)}, {@link #ancestors}, and {@link #below(NavigableMap, String)} over a sorted
 * map or set) are for code that keeps the text in maps keyed by string (the index, the watch table, the planner's due
 * times); they follow the same rules as the methods of a value.
 *
 * @param text the '/'-separated form, as it travels on the wire and is stored on disk
 */
public record RelativePath(String text) implements Comparable<RelativePath> {
    public static final RelativePath ROOT = new RelativePath("");

    public RelativePath {
        check("path", text, true);
    }

    public static RelativePath of(String text) {
        return text.isEmpty() ? ROOT : new RelativePath(text);
    }

    /**
     * {@code p} relative to {@code root}, '/'-separated whatever the file system's separator; {@link #ROOT} for the
     * root. {@code p} must lie under {@code root}.
     */
    public static RelativePath between(Path root, Path p) {
        StringBuilder b = new StringBuilder();
        for (Path part : root.relativize(p)) {
            String name = part.toString();
            if (!name.isEmpty()) {
                if (!b.isEmpty()) {
                    b.append('/');
                }
                b.append(name);
            }
        }
        return of(b.toString());
    }

    /**
     * Checks {@code path} against the rules and returns it.
     *
     * @param name        the argument's name, quoted in the message
     * @param rootAllowed whether {@code ""} (the root) is accepted: only where a subtree is meant
     * @throws IllegalArgumentException naming the argument and quoting the value
     */
    public static String check(String name, String path, boolean rootAllowed) {
        if (path == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (path.isEmpty()) {
            if (rootAllowed) {
                return path;
            }
            throw new IllegalArgumentException(name + " is empty (the root is not an entry)");
        }
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            int len = end - start;
            if (len == 0 || (len == 1 && path.charAt(start) == '.')
                    || (len == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
                throw new IllegalArgumentException(name + "='" + path + "' is not a relative path of plain names"
                        + " separated by single '/'");
            }
            start = end + 1;
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + "='" + path.replace('\0', '?') + "' contains a NUL character");
        }
        return path;
    }

    /** {@code dir/name}, or {@code name} when {@code dir} is the root ({@code ""}); either side may be "". */
    public static String join(String dir, String name) {
        if (dir.isEmpty()) {
            return name;
        }
        return name.isEmpty() ? dir : dir + "/" + name;
    }

    /** True if {@code path} is {@code dir} or lies below it ({@code dir} "" holds everything). */
    public static boolean within(String path, String dir) {
        return dir.isEmpty() || path.equals(dir)
                || (path.length() > dir.length() && path.charAt(dir.length()) == '/' && path.startsWith(dir));
    }

    /** True if {@code path} lies strictly below {@code dir} (not {@code dir} itself). */
    public static boolean below(String path, String dir) {
        return !path.equals(dir) && within(path, dir);
    }

    /** {@code path} moved from under {@code from} to under {@code to}; {@code path} must be {@link #within} from. */
    public static String rebase(String path, String from, String to) {
        if (!within(path, from)) {
            throw new IllegalArgumentException("path='" + path + "' is not within from='" + from + "'");
        }
        if (path.length() == from.length()) {
            return to;
        }
        String rest = from.isEmpty() ? path : path.substring(from.length() + 1);
        return join(to, rest);
    }

    /**
     * The entries of {@code sorted} that lie strictly below {@code dir} (for the root: all but the root itself), as a
     * live view. Paths sort as text and '0' is the character right after '/', so {@code [dir + "/", dir + "0")} is
     * exactly what lies below {@code dir}; "a b", which sorts between "a" and "a/b", stays out.
     */
    public static <V> NavigableMap<String, V> below(NavigableMap<String, V> sorted, String dir) {
        return dir.isEmpty() ? sorted.tailMap("", false) : sorted.subMap(dir + "/", true, dir + "0", false);
    }

    /** {@link #below(NavigableMap, String)} for a sorted set of paths. */
    public static NavigableSet<String> below(NavigableSet<String> sorted, String dir) {
        return dir.isEmpty() ? sorted.tailSet("", false) : sorted.subSet(dir + "/", true, dir + "0", false);
    }

    /** The directory {@code path} lies in: "a/b" for "a/b/c", "" for a top-level name. */
    public static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The directories {@code path} lies in, outermost first, the root left out: "a", "a/b" for "a/b/c". */
    public static List<String> ancestors(String path) {
        List<String> up = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            up.add(path.substring(0, slash));
        }
        return up;
    }

    /** The number of '/' in {@code path}: 0 for a top-level name. */
    public static int depth(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    public boolean isRoot() {
        return text.isEmpty();
    }

    /** This path with one more segment; {@code name} must be a plain name. */
    public RelativePath child(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("name='" + name + "' is not a single plain name");
        }
        return new RelativePath(join(text, name));
    }

    /** {@code sub} below this path. */
    public RelativePath resolve(RelativePath sub) {
        return of(join(text, sub.text));
    }

    public boolean isWithin(RelativePath dir) {
        return within(text, dir.text);
    }

    public RelativePath rebase(RelativePath from, RelativePath to) {
        return of(rebase(text, from.text, to.text));
    }

    /** The last segment; "" for the root. */
    public String fileName() {
        return text.substring(text.lastIndexOf('/') + 1);
    }

    /** The path one level up; the root for a top-level name. The root has no parent. */
    public RelativePath parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root has no parent");
        }
        int slash = text.lastIndexOf('/');
        return slash < 0 ? ROOT : new RelativePath(text.substring(0, slash));
    }

    /**
     * The path under {@code root} this names. Where the file system's separator is '/' (Linux, every real source and
     * target) the text is resolved in one step, as the scanner does for every file; elsewhere one segment at a time,
     * never through a string with '/'.
     */
    public Path under(Path root) {
        Objects.requireNonNull(root, "root");
        if (isRoot()) {
            return root;
        }
        if (root.getFileSystem().getSeparator().equals("/")) {
            return root.resolve(text);
        }
        Path p = root;
        int start = 0;
        while (start <= text.length()) {
            int slash = text.indexOf('/', start);
            int end = slash < 0 ? text.length() : slash;
            p = p.resolve(text.substring(start, end));
            start = end + 1;
        }
        return p;
    }

    @Override
    public int compareTo(RelativePath other) {
        return text.compareTo(other.text);
    }

    @Override
    public String toString() {
        return text;
    }
}
