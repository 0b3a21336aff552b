package dev.ferry.watch;

import java.nio.file.Path;

/** Conversions between paths under the root and the '/'-separated relative strings that {@link Change} carries. */
final class RelativePaths {
    private RelativePaths() {
    }

    /** {@code p} relative to {@code root}, '/'-separated whatever the file system's separator; "" for the root. */
    static String of(Path root, Path p) {
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
        return b.toString();
    }

    /** The path under {@code root} that a relative string names, resolved one segment at a time. */
    static Path resolve(Path root, String relative) {
        Path p = root;
        if (!relative.isEmpty()) {
            for (String segment : relative.split("/")) {
                p = p.resolve(segment);
            }
        }
        return p;
    }

    static String child(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    /** Whether {@code path} is {@code dir} or lies below it. */
    static boolean isAtOrUnder(String path, String dir) {
        return dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/");
    }
}
