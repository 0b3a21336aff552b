package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.config.ConfigReference.DocRow;
import dev.ferry.config.ConfigReference.SchemaKey;
import dev.ferry.logging.LogFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIG.md and config/ferry.schema.json against the config model: the readers' KEYS lists, the records'
 * DEFAULT_* constants (rendered as {@link ByteSizes#format} and {@link Durations#format} render them), their range
 * rules, and the defaults the loader really applies. A key added to a reader fails here until it is documented in
 * both files and listed below with its default or as required.
 */
class ConfigReferenceTest {
    /** Keys a config must name; {@link ConfigSchemaTest} checks the loader agrees, key by key. */
    static final Set<String> REQUIRED = Set.of("receive.listen", "receive.folders",
            "receive.folders.NAME.path", "sync[].source", "sync[].targets");
    /** Required without {@code identity} ({@code transport: plaintext}); optional with one. */
    static final Set<String> REQUIRED_IN_PLAINTEXT = Set.of("receive.token-file", "sync[].token-file");
    /**
     * Keys with no default value: the state dir comes from the environment; each section is there or not; no metrics
     * endpoint unless asked for.
     */
    static final Set<String> NO_DEFAULT = Set.of("state-dir", "metrics", "receive", "sync", "identity", "transport",
            "receive.folders.NAME.allow", "receive.folders.NAME.token-file", "receive.token-file", "sync[].token-file");

    /** A default: the constant rendered, and the value the loader gives a config that leaves the key out, rendered. */
    private record Default(String key, String constant, Function<FerryConfig, String> loaded) {
    }

    private static final List<Default> DEFAULTS = List.of(
            new Default("shutdown-timeout", Durations.format(FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT),
                    c -> Durations.format(c.shutdownTimeout())),
            new Default("log-format", LogFormat.DEFAULT.toString(), c -> c.logFormat().toString()),
            new Default("receive.max-connections", String.valueOf(ReceiveConfig.DEFAULT_MAX_CONNECTIONS),
                    c -> String.valueOf(receive(c).maxConnections())),
            new Default("receive.read-timeout", Durations.format(ReceiveConfig.DEFAULT_READ_TIMEOUT),
                    c -> Durations.format(receive(c).readTimeout())),
            new Default("receive.durability", ReceiveConfig.DEFAULT_DURABILITY.toString(),
                    c -> receive(c).durability().toString()),
            new Default("receive.max-file-size", ByteSizes.format(ReceiveConfig.DEFAULT_MAX_FILE_SIZE),
                    c -> ByteSizes.format(receive(c).maxFileSize())),
            new Default("receive.trash", Durations.format(ReceiveConfig.DEFAULT_TRASH),
                    c -> Durations.format(receive(c).trash())),
            new Default("receive.partial-max-age", Durations.format(ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE),
                    c -> Durations.format(receive(c).partialMaxAge())),
            new Default("sync[].delete", String.valueOf(SyncConfig.DEFAULT_DELETE), c -> String.valueOf(sync(c).delete())),
            // no constant: SyncReader starts from an empty list
            new Default("sync[].ignore", "[]", c -> sync(c).ignore().toString()),
            new Default("sync[].chunk-size", ByteSizes.format(SyncConfig.DEFAULT_CHUNK_SIZE),
                    c -> ByteSizes.format(sync(c).chunkSize())),
            new Default("sync[].debounce", Durations.format(SyncConfig.DEFAULT_DEBOUNCE),
                    c -> Durations.format(sync(c).debounce())),
            new Default("sync[].rescan-interval", Durations.format(SyncConfig.DEFAULT_RESCAN_INTERVAL),
                    c -> Durations.format(sync(c).rescanInterval())),
            new Default("sync[].connections", String.valueOf(SyncConfig.DEFAULT_CONNECTIONS),
                    c -> String.valueOf(sync(c).connections())),
            new Default("sync[].chunk-attempts", String.valueOf(SyncConfig.DEFAULT_CHUNK_ATTEMPTS),
                    c -> String.valueOf(sync(c).chunkAttempts())),
            new Default("sync[].journal-commit", Durations.format(SyncConfig.DEFAULT_JOURNAL_COMMIT),
                    c -> Durations.format(sync(c).journalCommit())),
            new Default("sync[].read-timeout", Durations.format(SyncConfig.DEFAULT_READ_TIMEOUT),
                    c -> Durations.format(sync(c).readTimeout())),
            new Default("sync[].keep-alive", Durations.format(SyncConfig.DEFAULT_KEEP_ALIVE),
                    c -> Durations.format(sync(c).keepAlive())),
            new Default("sync[].compress", SyncConfig.DEFAULT_COMPRESS.toString(), c -> sync(c).compress().toString()),
            new Default("sync[].bwlimit", ByteSizes.format(SyncConfig.DEFAULT_BWLIMIT),
                    c -> ByteSizes.format(sync(c).bwlimit())),
            new Default("sync[].verify", SyncConfig.DEFAULT_VERIFY.toString(), c -> sync(c).verify().toString()));

    private static Map<String, DocRow> doc;
    private static Map<String, SchemaKey> schema;

    @BeforeAll
    static void read() throws Exception {
        doc = ConfigReference.docRows(ConfigReference.configMd());
        schema = ConfigReference.schemaKeys(ConfigReference.schema());
    }

    @Test
    void everyKeyTheReadersAcceptIsDocumentedAndNothingElse() {
        Set<String> model = ConfigReference.modelKeys();

        assertThat(difference(model, doc.keySet())).as("keys the readers accept that docs/CONFIG.md lacks").isEmpty();
        assertThat(difference(doc.keySet(), model)).as("keys in docs/CONFIG.md that the readers refuse").isEmpty();
        assertThat(difference(model, schema.keySet())).as("keys the readers accept that ferry.schema.json lacks").isEmpty();
        assertThat(difference(schema.keySet(), model)).as("keys in ferry.schema.json that the readers refuse").isEmpty();
    }

    /** The model's keys that both files describe (the first test reports the others). */
    private static Set<String> documentedKeys() {
        Set<String> keys = new TreeSet<>(ConfigReference.modelKeys());
        keys.retainAll(doc.keySet());
        keys.retainAll(schema.keySet());
        assertThat(keys).isNotEmpty();
        return keys;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void everyKeyIsRequiredOrHasItsDefaultListedHere() {
        Set<String> listed = new TreeSet<>(REQUIRED);
        listed.addAll(NO_DEFAULT);
        DEFAULTS.forEach(d -> listed.add(d.key()));

        assertThat(listed).as("REQUIRED, NO_DEFAULT and DEFAULTS overlap")
                .hasSize(REQUIRED.size() + NO_DEFAULT.size() + DEFAULTS.size());
        assertThat(difference(ConfigReference.modelKeys(), listed))
                .as("keys the readers accept with no default listed in DEFAULTS here (nor REQUIRED nor NO_DEFAULT)").isEmpty();
        assertThat(difference(listed, ConfigReference.modelKeys())).as("keys listed here that the readers refuse").isEmpty();
    }

    @Test
    void requiredKeysAreMarkedRequiredInBoth() {
        for (String key : documentedKeys()) {
            assertThat(doc.get(key).defaultValue().equals("required")).as("CONFIG.md: %s required", key)
                    .isEqualTo(REQUIRED.contains(key));
            assertThat(schema.get(key).required()).as("schema: %s required", key).isEqualTo(REQUIRED.contains(key));
        }
    }

    @Test
    void defaultsInBothAreTheRecordsConstantsAndWhatTheLoaderApplies() throws Exception {
        FerryConfig minimal;
        try (JimfsConfig fs = new JimfsConfig()) {
            minimal = fs.load(ConfigSchemaTest.MINIMAL);
        }
        for (Default d : DEFAULTS) {
            assertThat(d.loaded().apply(minimal)).as("loaded default of %s", d.key()).isEqualTo(d.constant());
            assertThat(ConfigReference.firstCode(doc.get(d.key()).defaultValue())).as("CONFIG.md default of %s", d.key())
                    .isEqualTo(d.constant());
            JsonNode schemaDefault = schema.get(d.key()).schema().get("default");
            assertThat(schemaDefault).as("schema default of %s", d.key()).isNotNull();
            assertThat(schemaDefault.isArray() ? schemaDefault.toString() : schemaDefault.asText())
                    .as("schema default of %s", d.key()).isEqualTo(d.constant());
        }
        for (String key : NO_DEFAULT) {
            assertThat(schema.get(key).schema().has("default")).as("schema default of %s", key).isFalse();
        }
        assertThat(doc.get("state-dir").defaultValue()).contains("`$XDG_STATE_HOME/ferry`", "`~/.local/state/ferry`");
    }

    @Test
    void typesInTheDocAreTheSchemasTypes() {
        for (String key : documentedKeys()) {
            assertThat(doc.get(key).type()).as("CONFIG.md type of %s", key).isEqualTo(schema.get(key).kind());
        }
    }

    @Test
    void integerRangesAreTheRecordsBoundsInBoth() {
        assertIntegerRange("receive.max-connections", ReceiveConfig.MIN_CONNECTIONS, ReceiveConfig.MAX_CONNECTIONS);
        assertIntegerRange("sync[].connections", SyncConfig.MIN_CONNECTIONS, SyncConfig.MAX_CONNECTIONS);
        assertIntegerRange("sync[].chunk-attempts", SyncConfig.MIN_CHUNK_ATTEMPTS, SyncConfig.MAX_CHUNK_ATTEMPTS);
    }

    @Test
    void sizeRangesAreTheRangeRulesInBoth() {
        assertThat(doc.get("sync[].chunk-size").range()).isEqualTo(
                "`" + ByteSizes.format(SyncConfig.MIN_CHUNK_SIZE) + "`..`" + ByteSizes.format(SyncConfig.MAX_CHUNK_SIZE) + "`");
        assertThat(schema.get("sync[].chunk-size").schema().get("minimum").asLong()).isEqualTo(SyncConfig.MIN_CHUNK_SIZE);
        assertThat(schema.get("sync[].chunk-size").schema().get("maximum").asLong()).isEqualTo(SyncConfig.MAX_CHUNK_SIZE);
        assertThat(SyncConfig.chunkSizeInRange(SyncConfig.MIN_CHUNK_SIZE - 1L)).isFalse();
        assertThat(SyncConfig.chunkSizeInRange(SyncConfig.MAX_CHUNK_SIZE + 1L)).isFalse();
        assertThat(SyncConfig.chunkSizeInRange(SyncConfig.MIN_CHUNK_SIZE) && SyncConfig.chunkSizeInRange(SyncConfig.MAX_CHUNK_SIZE))
                .isTrue();

        assertThat(doc.get("receive.max-file-size").range()).isEqualTo("at least `1`");
        assertThat(schema.get("receive.max-file-size").schema().get("minimum").asLong()).isEqualTo(1);
        assertThat(ReceiveConfig.maxFileSizeInRange(1) && !ReceiveConfig.maxFileSizeInRange(0)).isTrue();
    }

    @Test
    void durationRangesAreTheRangeRules() {
        Duration ms = Duration.ofMillis(1);
        assertDurationRange("shutdown-timeout", FerryConfig.MIN_SHUTDOWN_TIMEOUT, FerryConfig.MAX_SHUTDOWN_TIMEOUT,
                FerryConfig::shutdownTimeoutInRange);
        assertDurationRange("receive.read-timeout", ms, ReceiveConfig.MAX_READ_TIMEOUT, ReceiveConfig::readTimeoutInRange);
        assertDurationRange("receive.trash", Duration.ZERO, ReceiveConfig.MAX_KEEP, ReceiveConfig::trashInRange);
        assertDurationRange("receive.partial-max-age", ms, ReceiveConfig.MAX_KEEP, ReceiveConfig::partialMaxAgeInRange);
        assertDurationRange("sync[].debounce", Duration.ZERO, SyncConfig.MAX_DEBOUNCE, SyncConfig::debounceInRange);
        assertDurationRange("sync[].rescan-interval", SyncConfig.MIN_RESCAN_INTERVAL, null, SyncConfig::rescanIntervalInRange);
        assertDurationRange("sync[].journal-commit", ms, SyncConfig.MAX_JOURNAL_COMMIT, SyncConfig::journalCommitInRange);
        assertDurationRange("sync[].read-timeout", SyncConfig.MIN_READ_TIMEOUT, SyncConfig.MAX_READ_TIMEOUT,
                SyncConfig::readTimeoutInRange);

        Duration min = SyncConfig.MIN_KEEP_ALIVE;
        Duration readTimeout = SyncConfig.DEFAULT_READ_TIMEOUT;
        assertThat(doc.get("sync[].keep-alive").range())
                .isEqualTo("at least `" + Durations.format(min) + "`, less than `read-timeout`");
        assertThat(SyncConfig.keepAliveInRange(min, readTimeout)).isTrue();
        assertThat(SyncConfig.keepAliveInRange(min.minus(ms), readTimeout)).isFalse();
        assertThat(SyncConfig.keepAliveInRange(readTimeout.minus(ms), readTimeout)).isTrue();
        assertThat(SyncConfig.keepAliveInRange(readTimeout, readTimeout)).isFalse();
    }

    @Test
    void durabilityValuesAreTheEnumsInBoth() {
        List<String> values = Arrays.stream(Durability.values()).map(Durability::toString).toList();

        assertThat(doc.get("receive.durability").range())
                .isEqualTo(String.join(", ", values.stream().map(v -> "`" + v + "`").toList()));
        List<String> schemaValues = schema.get("receive.durability").schema().get("enum").valueStream()
                .map(JsonNode::asText).toList();
        assertThat(schemaValues).isEqualTo(values);
        values.forEach(v -> assertThat(Durability.parse(v).toString()).isEqualTo(v));
    }

    @Test
    void logFormatValuesAreTheEnumsInBoth() {
        List<String> values = Arrays.stream(LogFormat.values()).map(LogFormat::toString).toList();

        assertThat(values).containsExactly("text", "json");
        assertThat(doc.get("log-format").range()).isEqualTo("`text`, `json`");
        assertThat(schema.get("log-format").schema().get("enum").valueStream().map(JsonNode::asText).toList())
                .isEqualTo(values);
        values.forEach(v -> assertThat(LogFormat.parse(v).toString()).isEqualTo(v));
    }

    private static void assertIntegerRange(String key, int min, int max) {
        assertThat(doc.get(key).range()).as("CONFIG.md range of %s", key).isEqualTo("`" + min + "`..`" + max + "`");
        assertThat(schema.get(key).schema().get("minimum").asInt()).as("schema minimum of %s", key).isEqualTo(min);
        assertThat(schema.get(key).schema().get("maximum").asInt()).as("schema maximum of %s", key).isEqualTo(max);
    }

    /** The doc writes {@code `min`..`max`} (or {@code at least `min`}), and the rule accepts exactly that, to the ms. */
    private static void assertDurationRange(String key, Duration min, Duration max, Predicate<Duration> inRange) {
        String expected = max == null
                ? "at least `" + Durations.format(min) + "`"
                : "`" + Durations.format(min) + "`..`" + Durations.format(max) + "`";
        Duration ms = Duration.ofMillis(1);
        assertThat(doc.get(key).range()).as("CONFIG.md range of %s", key).isEqualTo(expected);
        assertThat(inRange.test(min)).as("%s accepts %s", key, min).isTrue();
        assertThat(inRange.test(min.minus(ms))).as("%s refuses %s", key, min.minus(ms)).isFalse();
        Duration top = max == null ? Duration.ofDays(3650) : max;
        assertThat(inRange.test(top)).as("%s accepts %s", key, top).isTrue();
        if (max != null) {
            assertThat(inRange.test(max.plus(ms))).as("%s refuses %s", key, max.plus(ms)).isFalse();
        }
    }

    private static ReceiveConfig receive(FerryConfig config) {
        return config.receive().orElseThrow();
    }

    private static SyncConfig sync(FerryConfig config) {
        return config.sync().getFirst();
    }
}
