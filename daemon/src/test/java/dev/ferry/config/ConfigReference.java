package dev.ferry.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the reference page ({@code docs/CONFIG.md}) and the schema ({@code config/ferry.schema.json}) say about each
 * key, and which keys the readers accept, each under one qualified name: {@code state-dir}, {@code receive.listen},
 * {@code receive.folders.NAME.path}, {@code sync[].chunk-size}. Runs on the test thread.
 */
final class ConfigReference {
    /** One row of a key table in CONFIG.md: {@code | `key` | type | default | range | meaning |}. */
    record DocRow(String key, String type, String defaultValue, String range, String meaning) {
    }

    /** One key of the schema: its property schema with every {@code $ref} merged in, and whether its parent requires it. */
    record SchemaKey(String key, JsonNode schema, String kind, boolean required) {
    }

    private static final Pattern KEY_ROW = Pattern.compile("^\\| `([^`]+)` \\|.*$", Pattern.MULTILINE);
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");
    private static final Pattern YAML_BLOCK = Pattern.compile("^```yaml\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]*)`");

    private ConfigReference() {
    }

    /** Every key the readers accept: their KEYS lists, qualified. */
    static SequencedSet<String> modelKeys() {
        SequencedSet<String> keys = new LinkedHashSet<>(ConfigLoader.KEYS);
        ReceiveReader.KEYS.forEach(k -> keys.add("receive." + k));
        ReceiveReader.FOLDER_KEYS.forEach(k -> keys.add("receive.folders.NAME." + k));
        SyncReader.KEYS.forEach(k -> keys.add("sync[]." + k));
        return keys;
    }

    static Path repoRoot() {
        return ExampleConfigsTest.repoConfigDir().getParent();
    }

    static String configMd() throws IOException {
        return Files.readString(repoRoot().resolve("docs/CONFIG.md"));
    }

    static JsonNode schema() throws IOException {
        return new ObjectMapper().readTree(repoRoot().resolve("config/ferry.schema.json").toFile());
    }

    /** The key rows of CONFIG.md by key, in page order; a key written twice is an error. */
    static Map<String, DocRow> docRows(String markdown) {
        Map<String, DocRow> rows = new LinkedHashMap<>();
        Matcher m = KEY_ROW.matcher(markdown);
        while (m.find()) {
            String[] cells = CELL_SEPARATOR.split(m.group().substring(1));
            if (cells.length < 5) {
                throw new AssertionError("CONFIG.md row has " + cells.length + " cells, not 5: " + m.group());
            }
            DocRow row = new DocRow(m.group(1), cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip());
            if (rows.put(row.key(), row) != null) {
                throw new AssertionError("CONFIG.md documents " + row.key() + " twice");
            }
        }
        return rows;
    }

    /** The text of every ```yaml block of {@code markdown} that holds more than comments. */
    static List<String> yamlBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(markdown);
        while (m.find()) {
            if (m.group(1).lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("#"))) {
                blocks.add(m.group(1));
            }
        }
        return blocks;
    }

    /** The first `code span` of a cell, or the whole cell when it has none. */
    static String firstCode(String cell) {
        Matcher m = CODE_SPAN.matcher(cell);
        return m.find() ? m.group(1) : cell;
    }

    /** Every key the schema describes, walking properties, list items and the values of name-keyed mappings. */
    static Map<String, SchemaKey> schemaKeys(JsonNode root) {
        Map<String, SchemaKey> keys = new LinkedHashMap<>();
        walk(root, root, "", keys);
        return keys;
    }

    private static void walk(JsonNode root, JsonNode node, String prefix, Map<String, SchemaKey> keys) {
        JsonNode schema = resolve(root, node);
        JsonNode properties = schema.path("properties");
        if (!properties.isMissingNode()) {
            if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties").asBoolean()) {
                throw new AssertionError("the schema of " + (prefix.isEmpty() ? "the top level" : prefix)
                        + " allows unknown keys, but the reader refuses them: add \"additionalProperties\": false");
            }
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            for (Map.Entry<String, JsonNode> property : properties.properties()) {
                String key = prefix.isEmpty() ? property.getKey() : prefix + "." + property.getKey();
                keys.put(key, new SchemaKey(key, resolve(root, property.getValue()), kind(root, property.getValue()),
                        required.contains(property.getKey())));
                walk(root, property.getValue(), key, keys);
            }
        }
        if (schema.path("items").isObject()) {
            walk(root, schema.path("items"), prefix + "[]", keys);
        }
        if (schema.path("additionalProperties").isObject()) {
            walk(root, schema.path("additionalProperties"), prefix + ".NAME", keys);
        }
    }

    /** {@code node} with the definitions its {@code $ref}s name merged under its own keywords. */
    static JsonNode resolve(JsonNode root, JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        ObjectNode merged = resolve(root, definition(root, node)).deepCopy();
        node.properties().forEach(e -> {
            if (!e.getKey().equals("$ref")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        merged.remove("$ref");
        return merged;
    }

    private static JsonNode definition(JsonNode root, JsonNode node) {
        String ref = node.get("$ref").asText();
        JsonNode target = ref.startsWith("#/") ? root.at(ref.substring(1)) : null;
        if (target == null || target.isMissingNode()) {
            throw new AssertionError("the schema refers to " + ref + ", which it does not define");
        }
        return target;
    }

    /** The type a schema gives a key, in the words of CONFIG.md's Type column. */
    static String kind(JsonNode root, JsonNode node) {
        if (node.has("$ref")) {
            String name = node.get("$ref").asText().substring("#/$defs/".length());
            return switch (name) {
                case "duration", "size", "path" -> name;
                case "tokenFile" -> kind(root, definition(root, node));
                case "hostPort" -> "host:port";
                case "ferryUri" -> "ferry:// URI";
                case "peerId" -> "ID";
                case "receive", "sync" -> "mapping";
                default -> throw new AssertionError("no Type word for the schema's $defs/" + name);
            };
        }
        if (node.has("enum")) {
            List<String> values = new ArrayList<>();
            node.get("enum").forEach(v -> values.add("`" + v.asText() + "`"));
            return String.join(" or ", values);
        }
        String type = node.path("type").asText();
        return switch (type) {
            case "object" -> "mapping";
            case "array" -> "list of " + kind(root, node.get("items")) + "s";
            case "string", "integer", "boolean" -> type;
            default -> throw new AssertionError("no Type word for the schema type \"" + type + "\" in " + node);
        };
    }
}
