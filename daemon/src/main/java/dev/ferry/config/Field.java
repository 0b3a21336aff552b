package dev.ferry.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One value of the config with its dotted key and line; the typed reads turn a wrong value into a
 * {@link ConfigException} that names both.
 *
 * @param line the line errors point at: the key's line for a mapping entry, the item's line for a list item
 */
record Field(Path file, String key, int line, YamlNode node) {

    ConfigException error(String problem) {
        return new ConfigException(file, line, key, problem);
    }

    /** A non-empty scalar, as written. */
    String text() throws ConfigException {
        if (node instanceof YamlNode.Scalar scalar && !scalar.isEmpty()) {
            return scalar.text();
        }
        throw error(node instanceof YamlNode.Scalar
                ? "has no value; give it one or remove the line"
                : "expected a single value, got " + YamlNode.describe(node));
    }

    /** The text run through {@code parser}, whose {@link IllegalArgumentException} message becomes the problem. */
    <T> T parsed(Function<String, T> parser) throws ConfigException {
        String text = text();
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    int integer(int min, int max) throws ConfigException {
        String expected = "expected a whole number from " + min + " to " + max;
        if (!(node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Kind.INTEGER
                && scalar.text().matches("[+-]?[0-9]+"))) {
            throw error(expected + ", got " + YamlNode.describe(node));
        }
        String digits = scalar.text().startsWith("+") ? scalar.text().substring(1) : scalar.text();
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            value = digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value < min || value > max) {
            throw error(scalar.text() + " is out of range; " + expected);
        }
        return (int) value;
    }

    boolean bool() throws ConfigException {
        if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Kind.TRUE) {
            return true;
        }
        if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Kind.FALSE) {
            return false;
        }
        throw error("expected true or false, got " + YamlNode.describe(node));
    }

    /** A mapping; {@code expected} says what it should hold, e.g. "a mapping with listen, token-file and folders". */
    Section section(String expected) throws ConfigException {
        if (node instanceof YamlNode.Mapping mapping) {
            return new Section(file, key, line, mapping);
        }
        throw error("expected " + expected + ", got " + YamlNode.describe(node));
    }

    /** A list (maybe empty), each item a Field keyed {@code key[i]}. */
    List<Field> items(String expected) throws ConfigException {
        if (!(node instanceof YamlNode.Sequence sequence)) {
            throw error("expected " + expected + ", got " + YamlNode.describe(node));
        }
        List<Field> items = new ArrayList<>();
        for (YamlNode item : sequence.items()) {
            items.add(new Field(file, key + "[" + items.size() + "]", item.line(), item));
        }
        return items;
    }

    void check(boolean ok, String problem) throws ConfigException {
        if (!ok) {
            throw error(problem);
        }
    }
}
