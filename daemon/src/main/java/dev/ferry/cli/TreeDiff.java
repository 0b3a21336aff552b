package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Compares two trees: same entries, same bytes, same mtime and permission bits. Used by the demo, which asks it every
 * millisecond or two while a change travels: so it compares what {@code stat} tells first, for every entry, and reads
 * the files' bytes only once all of that matches.
 */
final class TreeDiff {
    private TreeDiff() {
    }

    /** The first difference found, or null when the trees match (ferry's own {@code .ferry/} folder is ignored). */
    static String firstDifference(Path a, Path b) throws IOException {
        if (!Files.isDirectory(a, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(b, LinkOption.NOFOLLOW_LINKS)) {
            return Files.isDirectory(a) ? b + " is not a directory" : a + " is not a directory";
        }
        Map<String, Path> left = list(a);
        Map<String, Path> right = list(b);
        if (!left.keySet().equals(right.keySet())) {
            return "entries differ: " + left.keySet() + " vs " + right.keySet();
        }
        for (Map.Entry<String, Path> e : left.entrySet()) {
            String difference = metadataDifference(e.getKey(), e.getValue(), right.get(e.getKey()));
            if (difference != null) {
                return difference;
            }
        }
        for (Map.Entry<String, Path> e : left.entrySet()) {
            Path p = e.getValue();
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && !Arrays.equals(Files.readAllBytes(p), Files.readAllBytes(right.get(e.getKey())))) {
                return e.getKey() + ": contents differ";
            }
        }
        return null;
    }

    /** As {@link #firstDifference} for two single files (no listing): null when they match. */
    static String fileDifference(Path a, Path b) throws IOException {
        if (!Files.exists(b, LinkOption.NOFOLLOW_LINKS)) {
            return b + " does not exist";
        }
        String difference = metadataDifference(a.getFileName().toString(), a, b);
        if (difference != null) {
            return difference;
        }
        return Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)) ? null : a.getFileName() + ": contents differ";
    }

    private static String metadataDifference(String name, Path p, Path q) throws IOException {
        boolean file = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
        if (file != Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS)) {
            return name + ": a file on one side only";
        }
        if (file && Files.size(p) != Files.size(q)) {
            return name + ": size " + Files.size(p) + " vs " + Files.size(q);
        }
        if (file && !Files.getLastModifiedTime(p).equals(Files.getLastModifiedTime(q))) {
            return name + ": mtime " + Files.getLastModifiedTime(p) + " vs " + Files.getLastModifiedTime(q);
        }
        if (!Files.getPosixFilePermissions(p).equals(Files.getPosixFilePermissions(q))) {
            return name + ": mode differs";
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
