package dev.ferry.config;

import java.util.List;
import java.util.SequencedMap;

/** A YAML value and the 1-based line where it starts; built by {@link YamlTree}. */
sealed interface YamlNode {
    int line();

    /** Keys in file order. */
    record Mapping(int line, SequencedMap<String, Entry> entries) implements YamlNode {
    }

    /** One key of a mapping; {@code line} is the key's line, the line errors about this entry point at. */
    record Entry(String key, int line, YamlNode value) {
    }

    record Sequence(int line, List<YamlNode> items) implements YamlNode {
    }

    /** A scalar as written ({@code text}) and how YAML typed it. */
    record Scalar(int line, Kind kind, String text) implements YamlNode {
        boolean isEmpty() {
            return kind == Kind.NULL || (kind == Kind.STRING && text.isEmpty());
        }
    }

    enum Kind { STRING, INTEGER, DECIMAL, TRUE, FALSE, NULL }

    /** How a value reads in "got ..." messages: {@code a list}, {@code "lots"}, {@code nothing}. */
    static String describe(YamlNode node) {
        return switch (node) {
            case Mapping m -> "a mapping";
            case Sequence s -> "a list";
            case Scalar s when s.isEmpty() -> "nothing";
            case Scalar s -> "\"" + s.text() + "\"";
        };
    }
}
