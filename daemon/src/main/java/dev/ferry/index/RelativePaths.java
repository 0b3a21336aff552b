package dev.ferry.index;

/**
 * The index's path rules: '/'-separated, relative to the source root, no empty, "." or ".." segment, no leading or
 * trailing '/'. The root itself is "" and is never an entry; it is accepted only where a subtree is meant.
 */
final class RelativePaths {
    private RelativePaths() {
    }

    /** @throws IllegalArgumentException naming the argument and quoting the value */
    static String check(String name, String path, boolean rootAllowed) {
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

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** True if {@code path} is {@code dir} or lies under it ({@code dir} "" holds everything). */
    static boolean within(String path, String dir) {
        return dir.isEmpty() || path.equals(dir)
                || (path.length() > dir.length() && path.charAt(dir.length()) == '/' && path.startsWith(dir));
    }

    /** {@code path} moved from under {@code from} to under {@code to}; {@code path} must be {@link #within} from. */
    static String rebase(String path, String from, String to) {
        return path.length() == from.length() ? to : to + path.substring(from.length());
    }
}
