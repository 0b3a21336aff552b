package dev.ferry.plan;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which source paths are not synced: ferry's own {@code .ferry/}, the config's {@code ignore} globs and the lines
 * of an optional {@code .ferryignore} in the source root. gitignore-like: a pattern without '/' matches a name at
 * any depth ({@code *.tmp}); a trailing '/' matches directories and everything under them ({@code .cache/}); a
 * pattern with a '/' inside is anchored at the root ({@code build/out}); '#' starts a comment line.
 */
public final class IgnoreRules implements Predicate<String> {
    static final String IGNORE_FILE = ".ferryignore";

    private record Rule(PathMatcher matcher, boolean anchored) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = rules;
    }

    public static IgnoreRules of(List<String> patterns, Path sourceRoot) throws IOException {
        List<String> all = new ArrayList<>(patterns);
        Path file = sourceRoot.resolve(IGNORE_FILE);
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    all.add(t);
                }
            }
        }
        return of(all);
    }

    /**
     * The rules of {@code patterns} alone, no {@code .ferryignore} read: a one-shot push's {@code --exclude}
     * patterns, matched against the paths below the pushed directory.
     *
     * @throws IllegalArgumentException for a pattern that is not a valid glob
     */
    public static IgnoreRules of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String p : patterns) {
            String body = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
            boolean anchored = body.contains("/");
            if (body.startsWith("/")) {
                body = body.substring(1);
            }
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + body), anchored));
        }
        return new IgnoreRules(List.copyOf(rules));
    }

    /** True if {@code path} (relative, '/'-separated) or one of its ancestors is ignored. */
    @Override
    public boolean test(String path) {
        if (path.isEmpty()) {
            return false;
        }
        String[] parts = path.split("/");
        if (parts[0].equals(".ferry")) {
            return true;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            for (Rule r : rules) {
                // A "dir/" rule matches that name as an ancestor (so everything under it) and, since a path string
                // does not say whether it names a directory, also a last segment of that name: a file called like
                // an ignored directory is ignored too.
                if (r.matcher().matches(Path.of(r.anchored() ? prefix.toString() : parts[i]))) {
                    return true;
                }
            }
        }
        return false;
    }
}
