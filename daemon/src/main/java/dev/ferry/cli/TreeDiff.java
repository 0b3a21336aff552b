package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Compares two trees: same entries, same bytes, same mtime and permission bits. Used by the demo. */
final class TreeDiff {
    private TreeDiff() {
    }

    /** The first difference found, or null when the trees match (ferry's own {@code .ferry/} folder is ignored). */
    static String firstDifference(Path a, Path b) throws IOException {
        Map<String, Path> left = list(a);
        Map<String, Path> right = list(b);
        if (!left.keySet().equals(right.keySet())) {
            return "entries differ: " + left.keySet() + " vs " + right.keySet();
        }
        for (Map.Entry<String, Path> e : left.entrySet()) {
            Path p = e.getValue();
            Path q = right.get(e.getKey());
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!Arrays.equals(Files.readAllBytes(p), Files.readAllBytes(q))) {
                    return e.getKey() + ": contents differ";
                }
                if (!Files.getLastModifiedTime(p).equals(Files.getLastModifiedTime(q))) {
                    return e.getKey() + ": mtime " + Files.getLastModifiedTime(p) + " vs " + Files.getLastModifiedTime(q);
                }
            }
            if (!Files.getPosixFilePermissions(p).equals(Files.getPosixFilePermissions(q))) {
                return e.getKey() + ": mode differs";
            }
        }
        return null;
    }

    private static Map<String, Path> list(Path root) throws IOException {
        Map<String, Path> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> {
                String rel = root.relativize(p).toString();
                if (!rel.equals(".ferry") && !rel.startsWith(".ferry/")) {
                    m.put(rel, p);
                }
            });
        }
        return m;
    }
}
