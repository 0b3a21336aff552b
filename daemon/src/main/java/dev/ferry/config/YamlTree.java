package dev.ferry.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into {@link YamlNode}s, taking every line from the parser token that starts the key or value
 * (data binding reports some errors at the end of the document instead). Also refuses what YAML allows but a
 * config should not have: duplicate keys, aliases, several documents.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final String SYNTAX_FIX = "check the indentation (spaces, not tabs), colons, quotes and brackets";

    private final Path file;
    private final YAMLParser parser;

    private YamlTree(Path file, YAMLParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** Parses one YAML document; an empty file or one holding only comments is an error. */
    static YamlNode parse(Path file, String text) throws ConfigException {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL
                    || (first == JsonToken.VALUE_STRING && parser.getText().isEmpty())) {
                throw new ConfigException(file, 0, "",
                        "the config file is empty; add a receive section, a sync list or both"
                                + " (see the examples in config/)");
            }
            YamlNode root = new YamlTree(file, parser).value("");
            if (parser.nextToken() != null) {
                throw new ConfigException(file, line(parser), "",
                        "a second YAML document starts here; a config file holds one document (remove the '---' line)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private YamlNode value(String key) throws IOException, ConfigException {
        int line = line(parser);
        return switch (parser.currentToken()) {
            case START_OBJECT -> mapping(key, line);
            case START_ARRAY -> sequence(key, line);
            case VALUE_STRING -> {
                if (parser.isCurrentAlias()) {
                    throw new ConfigException(file, line, key,
                            "YAML aliases (*" + parser.getText() + ") are not supported; write the value out in full");
                }
                yield new YamlNode.Scalar(line, YamlNode.Kind.STRING, parser.getText());
            }
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(line, YamlNode.Kind.INTEGER, parser.getText());
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(line, YamlNode.Kind.DECIMAL, parser.getText());
            case VALUE_TRUE -> new YamlNode.Scalar(line, YamlNode.Kind.TRUE, parser.getText());
            case VALUE_FALSE -> new YamlNode.Scalar(line, YamlNode.Kind.FALSE, parser.getText());
            case VALUE_NULL -> new YamlNode.Scalar(line, YamlNode.Kind.NULL, "");
            default -> throw new ConfigException(file, line, key, "unexpected YAML token " + parser.currentToken());
        };
    }

    private YamlNode mapping(String key, int line) throws IOException, ConfigException {
        SequencedMap<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int keyLine = line(parser);
            String path = key.isEmpty() ? name : key + "." + name;
            YamlNode.Entry first = entries.get(name);
            if (first != null) {
                throw new ConfigException(file, keyLine, path,
                        "duplicate key (first on line " + first.line() + "); keep only one");
            }
            parser.nextToken();
            entries.put(name, new YamlNode.Entry(name, keyLine, value(path)));
        }
        return new YamlNode.Mapping(line, entries);
    }

    private YamlNode sequence(String key, int line) throws IOException, ConfigException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != null && t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            items.add(value(key + "[" + items.size() + "]"));
        }
        return new YamlNode.Sequence(line, List.copyOf(items));
    }

    private static int line(YAMLParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static ConfigException syntaxError(Path file, JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String problem;
        if (e.getCause() instanceof MarkedYAMLException marked) {
            problem = oneLine(marked.getProblem());
            if (marked.getProblemMark() != null) {
                line = marked.getProblemMark().getLine() + 1;
            }
            if (marked.getContext() != null) {
                int contextLine = marked.getContextMark() == null ? line : marked.getContextMark().getLine() + 1;
                problem += " (" + oneLine(marked.getContext())
                        + (contextLine != line ? " on line " + contextLine : "") + ")";
            }
        } else if (e.getOriginalMessage().startsWith("Expected a field name")) {
            problem = "a key must be a plain name, not a list or a mapping";
        } else {
            problem = oneLine(e.getOriginalMessage());
        }
        return new ConfigException(file, line, "", "YAML syntax error: " + problem + "; " + SYNTAX_FIX);
    }

    private static String oneLine(String text) {
        return text.strip().replace("\\t(TAB)", "TAB").replaceAll("\\s*\\n\\s*", " ");
    }
}
