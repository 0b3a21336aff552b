package dev.ferry.status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The JSON form of a {@link DaemonStatus}, as the control socket sends it and {@code ferry status --json} prints
 * it. Field names are the record components' names, in their declared order; an instant is an ISO-8601 string
 * ({@code "2026-12-06T11:12:00Z"}); a {@link SyncState} is its {@link SyncState#label() label} ({@code "auth-failed"});
 * absent values are {@code null}, never left out, so a script sees the same keys every time. Fields a newer daemon
 * adds are ignored when read. Thread-safe (one configured mapper).
 */
public final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new SimpleModule("ferry-status")
                    .addSerializer(Instant.class, new InstantWriter())
                    .addDeserializer(Instant.class, new InstantReader())
                    .addSerializer(SyncState.class, new StateWriter())
                    .addDeserializer(SyncState.class, new StateReader()))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private StatusJson() {
    }

    /** One line of compact JSON (no line break inside). */
    public static String write(DaemonStatus status) {
        try {
            return MAPPER.writeValueAsString(status);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the status as JSON: " + e.getMessage(), e);
        }
    }

    /** A snapshot back from its JSON; an {@code {"error":...}} answer is thrown as an IOException with its text. */
    public static DaemonStatus read(String json) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        JsonNode error = tree.get("error");
        if (error != null && tree.size() == 1) {
            throw new IOException("the daemon answered: " + error.asText());
        }
        return MAPPER.treeToValue(tree, DaemonStatus.class);
    }

    /** The answer that stands for a snapshot when there is none: {@code {"error":"..."}}. */
    static String error(String message) {
        return MAPPER.createObjectNode().put("error", message).toString();
    }

    /** The same JSON, indented two spaces per level, keys in the order they came; an error answer is thrown. */
    public static String pretty(String json) throws IOException {
        JsonNode tree = MAPPER.readTree(json);
        JsonNode error = tree.get("error");
        if (error != null && tree.size() == 1) {
            throw new IOException("the daemon answered: " + error.asText());
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
    }

    private static final class InstantWriter extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    private static final class InstantReader extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
            }
        }
    }

    private static final class StateWriter extends JsonSerializer<SyncState> {
        @Override
        public void serialize(SyncState value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.label());
        }
    }

    private static final class StateReader extends JsonDeserializer<SyncState> {
        @Override
        public SyncState deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String label = p.getValueAsString();
            for (SyncState s : SyncState.values()) {
                if (s.label().equals(label)) {
                    return s;
                }
            }
            return (SyncState) ctxt.handleWeirdStringValue(SyncState.class, label, "not one of "
                    + Arrays.stream(SyncState.values()).map(SyncState::label).toList());
        }
    }
}
