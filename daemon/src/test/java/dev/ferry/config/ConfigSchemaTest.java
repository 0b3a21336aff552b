package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * config/ferry.schema.json with a real validator (networknt, draft 2020-12): it is a valid schema, every example in
 * config/ and in docs/CONFIG.md passes it (and loads), and the schema and the
 * loader make the same required keys. {@link SchemaLoaderAgreementTest} holds values on both sides of each rule.
 */
class ConfigSchemaTest {
    /** Only the required keys, paths that {@link JimfsConfig} creates. */
    static final String MINIMAL = """
            transport: plaintext
            receive:
              listen: 127.0.0.1:7878
              token-file: /etc/ferry/token
              folders:
                photos:
                  path: /srv/ferry/photos
            sync:
              - source: /srv/ferry/photos
                targets: [ "ferry://nas.example/photos" ]
                token-file: /etc/ferry/token
            """;

    /** The schema, read once for every test class that asks (holder idiom: no order between test classes). */
    private static final class Holder {
        static final Schema SCHEMA = read();

        private static Schema read() {
            try {
                String text = Files.readString(ConfigReference.repoRoot().resolve("config/ferry.schema.json"));
                // patternErrorMessage: the language servers' readable message for a pattern, an annotation here
                Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                        .keyword(new AnnotationKeyword("patternErrorMessage")).build();
                return SchemaRegistry.withDefaultDialect(dialect).getSchema(text, InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The schema's verdict on a YAML config: its errors, none when it passes. */
    static List<String> errors(String yaml) {
        return Holder.SCHEMA.validate(yaml, InputFormat.YAML).stream().map(Error::toString).toList();
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws Exception {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        String text = Files.readString(ConfigReference.repoRoot().resolve("config/ferry.schema.json"));

        assertThat(meta.validate(text, InputFormat.JSON)).isEmpty();
        assertThat(ConfigReference.schema().get("$schema").asText()).isEqualTo(SpecificationVersion.DRAFT_2020_12.getDialectId());
        // a meta-schema passes anything it does not know: make sure the validator does reject a broken schema
        assertThat(meta.validate("{\"type\": \"objekt\", \"required\": \"listen\"}", InputFormat.JSON)).isNotEmpty();
    }

    static Stream<Path> examples() throws Exception {
        return ExampleConfigsTest.examples();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleInConfigPassesTheSchema(Path example) throws Exception {
        assertThat(errors(Files.readString(example))).as(example.toString()).isEmpty();
    }

    @Test
    void everyExampleInTheReferencePassesTheSchemaAndLoads() throws Exception {
        List<String> blocks = ConfigReference.yamlBlocks(ConfigReference.configMd());

        assertThat(blocks).hasSize(3);
        for (int i = 0; i < blocks.size(); i++) {
            assertThat(errors(blocks.get(i))).as("CONFIG.md example %d", i + 1).isEmpty();
            try (JimfsConfig fs = new JimfsConfig()) {
                FerryConfig config = ExampleConfigsTest.load(fs, "example-" + (i + 1) + ".yaml", blocks.get(i));
                assertThat(config.receive().isPresent() || !config.sync().isEmpty()).isTrue();
            }
        }
    }

    @Test
    void theMinimalConfigPassesBoth() throws Exception {
        assertThat(errors(MINIMAL)).isEmpty();
        try (JimfsConfig fs = new JimfsConfig()) {
            assertThat(fs.load(MINIMAL).sync()).hasSize(1);
        }
    }

    /** Removing any one required key is refused by both, the loader naming the key. */
    @Test
    void eachRequiredKeyIsRequiredByTheLoaderToo() throws Exception {
        assertRequired("receive.listen", "  listen: 127.0.0.1:7878\n", "receive.listen");
        assertRequiredInPlaintext("receive.token-file", "  token-file: /etc/ferry/token\n", "receive.token-file");
        assertRequired("receive.folders", "  folders:\n    photos:\n      path: /srv/ferry/photos\n", "receive.folders");
        assertRequired("receive.folders.NAME.path", "    photos:\n      path: /srv/ferry/photos\n",
                "receive.folders.photos.path", "    photos: {}\n");
        assertRequired("sync[].source", "  - source: /srv/ferry/photos\n    targets:", "sync[0].source", "  - targets:");
        assertRequired("sync[].targets", "    targets: [ \"ferry://nas.example/photos\" ]\n", "sync[0].targets");
        assertRequiredInPlaintext("sync[].token-file", "    token-file: /etc/ferry/token\n", "sync[0].token-file");
        assertThat(ConfigReferenceTest.REQUIRED).hasSize(5);
        assertThat(ConfigReferenceTest.REQUIRED_IN_PLAINTEXT).hasSize(2);
    }

    /** The schema and the loader agree that a plaintext config needs its token files (an identity makes them optional). */
    private static void assertRequiredInPlaintext(String key, String lines, String loaderKey) throws Exception {
        assertThat(ConfigReferenceTest.REQUIRED_IN_PLAINTEXT).contains(key);
        String yaml = MINIMAL.replace(lines, "");
        assertThat(errors(yaml)).as("schema without %s in plaintext", key).isNotEmpty();
        try (JimfsConfig fs = new JimfsConfig()) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> fs.load(yaml));
            assertThat(e).as("loader without %s", key).isNotNull();
            assertThat(e.key()).isEqualTo(loaderKey);
            assertThat(e.problem()).startsWith("missing");
        }
        String withIdentity = yaml.replace("transport: plaintext\n", "identity: /etc/ferry/identity\n")
                .replace("ferry://nas.example/photos", "ferry://MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT@nas.example/photos")
                .replace("  token-file: /etc/ferry/token\n", "").replace("    token-file: /etc/ferry/token\n", "");
        assertThat(errors(withIdentity)).as("schema without %s with an identity", key).isEmpty();
    }

    private static void assertRequired(String key, String lines, String loaderKey) throws Exception {
        assertRequired(key, lines, loaderKey, "");
    }

    private static void assertRequired(String key, String lines, String loaderKey, String replacement) throws Exception {
        assertThat(ConfigReferenceTest.REQUIRED).contains(key);
        assertThat(MINIMAL).contains(lines);
        String yaml = MINIMAL.replace(lines, replacement);
        assertThat(errors(yaml)).as("schema without %s", key).isNotEmpty();
        try (JimfsConfig fs = new JimfsConfig()) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> fs.load(yaml));
            assertThat(e).as("loader without %s", key).isNotNull();
            assertThat(e.key()).isEqualTo(loaderKey);
            assertThat(e.problem()).startsWith("missing");
        }
    }
}
