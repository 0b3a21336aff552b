package dev.ferry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A YAML mapping at a known key path ({@code receive}, {@code sync[0]}): checks its keys and hands out its
 * values as {@link Field}s. Errors about the section itself (a missing key) point at {@code line}, the line of
 * the key that holds the section.
 */
final class Section {
    private final Path file;
    private final String key;
    private final int line;
    private final YamlNode.Mapping mapping;

    Section(Path file, String key, int line, YamlNode.Mapping mapping) {
        this.file = file;
        this.key = key;
        this.line = line;
        this.mapping = mapping;
    }

    String key() {
        return key;
    }

    boolean isEmpty() {
        return mapping.entries().isEmpty();
    }

    /** Refuses any key not in {@code allowed}, suggesting the closest allowed one. */
    void allowOnly(List<String> allowed) throws ConfigException {
        for (YamlNode.Entry entry : mapping.entries().values()) {
            if (!allowed.contains(entry.key())) {
                String suggestion = closest(entry.key(), allowed);
                String list = (key.isEmpty() ? " at the top level: " : " in " + key + ": ")
                        + String.join(", ", allowed);
                throw new ConfigException(file, entry.line(), childKey(entry.key()), suggestion == null
                        ? "unknown key; allowed" + list
                        : "unknown key; did you mean " + suggestion + "? Allowed" + list);
            }
        }
    }

    /** The value of {@code name}, or null when the key is absent. */
    Field get(String name) {
        YamlNode.Entry entry = mapping.entries().get(name);
        return entry == null ? null : new Field(file, childKey(name), entry.line(), entry.value());
    }

    /**
     * The value of {@code name} as {@code parser} reads it, or {@code absent} when the key is not there. A value that
     * {@code inRange} refuses is an error quoting it, then {@code fix} ("is too long; use 0ms to 10m").
     */
    <T> T optional(String name, T absent, Function<String, T> parser, Predicate<T> inRange, String fix)
            throws ConfigException {
        Field field = get(name);
        if (field == null) {
            return absent;
        }
        T value = field.parsed(parser);
        field.check(inRange.test(value), field.text() + " " + fix);
        return value;
    }

    /** The value of {@code name}; when absent, an error that shows {@code example} as the line to add. */
    Field require(String name, String example) throws ConfigException {
        Field field = get(name);
        if (field == null) {
            throw new ConfigException(file, line, childKey(name), "missing; add \"" + name + ": " + example + "\" to "
                    + (key.isEmpty() ? "the top level" : key));
        }
        return field;
    }

    /** Every entry, in file order (for mappings whose keys are names, like {@code folders}). */
    List<Field> fields() {
        List<Field> fields = new ArrayList<>();
        for (YamlNode.Entry entry : mapping.entries().values()) {
            fields.add(new Field(file, childKey(entry.key()), entry.line(), entry.value()));
        }
        return fields;
    }

    ConfigException error(String problem) {
        return new ConfigException(file, line, key, problem);
    }

    private String childKey(String name) {
        return key.isEmpty() ? name : key + "." + name;
    }

    /** The allowed key a typo most likely meant: same letters ignoring case, '-' and '_', or 1-2 edits away. */
    static String closest(String typo, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int distance = normalize(typo).equals(normalize(candidate)) ? 0 : distance(typo, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.min(2, Math.max(1, typo.length() / 3)) ? best : null;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
