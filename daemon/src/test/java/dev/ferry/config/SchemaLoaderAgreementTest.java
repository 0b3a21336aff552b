package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema and the loader give the same verdict on values on both sides of each rule the schema can express
 * (keys, types, enums, patterns, integer bounds), and the schema passes what CONFIG.md says only
 * {@code ferry check-config} checks. Each case is {@link ConfigSchemaTest#MINIMAL} with one change.
 */
class SchemaLoaderAgreementTest {
    private static final String MINIMAL = ConfigSchemaTest.MINIMAL;

    private static String receive(String line) {
        return MINIMAL.replace("receive:\n", "receive:\n  " + line + "\n");
    }

    private static String sync(String line) {
        return MINIMAL.replace("    token-file: /etc/ferry/token\n", "    token-file: /etc/ferry/token\n    " + line + "\n");
    }

    private static String replace(String from, String to) {
        assertThat(MINIMAL).contains(from);
        return MINIMAL.replace(from, to);
    }

    private static String targets(String list) {
        return replace("targets: [ \"ferry://nas.example/photos\" ]", "targets: " + list);
    }

    private static Arguments ok(String yaml) {
        return Arguments.of(yaml, null);
    }

    private static Arguments bad(String yaml, String loaderKey) {
        return Arguments.of(yaml, loaderKey);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                ok("state-dir: ~/state\n" + MINIMAL),
                ok("log-format: json\n" + MINIMAL),
                ok("log-format: text\n" + MINIMAL),
                ok(receive("durability: none")),
                ok(receive("max-file-size: 1099511627776")),
                ok(receive("max-file-size: 64 GiB")),
                ok(receive("trash: 0ms")),
                ok(receive("read-timeout: 1d")),
                ok(receive("max-connections: 10000")),
                ok(replace("listen: 127.0.0.1:7878", "listen: \"[::1]:0\"")),
                ok(replace("    photos:\n", "    my.photos_2024-x:\n")),
                ok(sync("chunk-size: 65536")),
                ok(sync("chunk-size: 8mib")),
                ok(sync("debounce: 0ms")),
                ok(sync("connections: 16")),
                ok(sync("delete: false")),
                ok(sync("ignore: [ \"*.tmp\", \"build/out\", \".cache/\" ]")),
                ok(targets("[ \"ferry://[2001:db8::7]:7879/photos/2024/\", \"ferry://nas_1.example./photos\" ]")),

                bad("stat-dir: /x\n" + MINIMAL, "stat-dir"),
                bad("log-format: yaml\n" + MINIMAL, "log-format"),
                bad("log-format: JSON\n" + MINIMAL, "log-format"),
                bad("state-dir: /var/lib/ferry\n", ""),
                bad(receive("max-conections: 5"), "receive.max-conections"),
                bad(sync("chunksize: 1MiB"), "sync[0].chunksize"),
                bad(replace("      path: /srv/ferry/photos\n", "      path: /srv/ferry/photos\n      mode: 0755\n"),
                        "receive.folders.photos.mode"),
                bad(replace("    photos:\n", "    .hidden:\n"), "receive.folders..hidden"),
                bad(replace("  folders:\n    photos:\n      path: /srv/ferry/photos\n", "  folders: {}\n"), "receive.folders"),
                bad(receive("durability: sync"), "receive.durability"),
                bad(receive("read-timeout: 60"), "receive.read-timeout"),
                bad(receive("read-timeout: 60 sec"), "receive.read-timeout"),
                bad(receive("read-timeout: -1s"), "receive.read-timeout"),
                bad(receive("max-file-size: 4M"), "receive.max-file-size"),
                bad(receive("max-file-size: 1.5GiB"), "receive.max-file-size"),
                bad(receive("max-file-size: 0"), "receive.max-file-size"),
                bad(receive("max-connections: \"64\""), "receive.max-connections"),
                bad(receive("max-connections: 0"), "receive.max-connections"),
                bad(replace("listen: 127.0.0.1:7878", "listen: 7878"), "receive.listen"),
                bad(replace("listen: 127.0.0.1:7878", "listen: nas.example"), "receive.listen"),
                bad(replace("listen: 127.0.0.1:7878", "listen: \"::1:7878\""), "receive.listen"),
                bad(MINIMAL.substring(0, MINIMAL.indexOf("sync:")) + "sync: []\n", "sync"),
                bad(sync("connections: 17"), "sync[0].connections"),
                bad(sync("chunk-attempts: 0"), "sync[0].chunk-attempts"),
                bad(sync("chunk-size: 1024"), "sync[0].chunk-size"),
                ok(sync("compress: zstd")),
                ok(sync("compress: zstd:19")),
                ok(sync("compress: none")),
                ok(sync("bwlimit: 10MiB")),
                ok(sync("bwlimit: 0")),
                ok(sync("verify: quick")),
                ok(sync("verify: checksum")),
                bad(sync("verify: always"), "sync[0].verify"),
                bad(sync("compress: gzip"), "sync[0].compress"),
                bad(sync("compress: zstd:20"), "sync[0].compress"),
                bad(sync("bwlimit: 10M"), "sync[0].bwlimit"),
                bad(sync("delete: \"yes\""), "sync[0].delete"),
                bad(sync("ignore: \"*.tmp\""), "sync[0].ignore"),
                bad(sync("keep-alive: 5"), "sync[0].keep-alive"),
                bad(targets("[]"), "sync[0].targets"),
                bad(targets("[ \"http://nas.example/photos\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example/photos?x=1\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://alice@nas.example/photos\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example/photos/../etc\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example/photos//2024\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example/.hidden\" ]"), "sync[0].targets[0]"),
                bad(targets("[ \"ferry://nas.example/photos\", \"ferry://nas.example/photos\" ]"), "sync[0].targets[1]"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void schemaAndLoaderAgree(String yaml, String loaderKey) throws Exception {
        List<String> schemaErrors = ConfigSchemaTest.errors(yaml);
        try (JimfsConfig fs = new JimfsConfig()) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> fs.load(yaml));
            if (loaderKey == null) {
                assertThat(e).as("loader on:%n%s", yaml).isNull();
                assertThat(schemaErrors).as("schema on:%n%s", yaml).isEmpty();
            } else {
                assertThat(e).as("loader on:%n%s", yaml).isNotNull();
                assertThat(e.key()).isEqualTo(loaderKey);
                assertThat(schemaErrors).as("schema on:%n%s", yaml).isNotEmpty();
            }
        }
    }

    /** What CONFIG.md's Editor support section says only check-config checks: the schema passes it, the loader not. */
    static Stream<Arguments> loaderOnly() {
        return Stream.of(
                Arguments.of(sync("debounce: 11m"), "sync[0].debounce"),
                Arguments.of(sync("chunk-size: 16MiB"), "sync[0].chunk-size"),
                Arguments.of(sync("bwlimit: 1KiB"), "sync[0].bwlimit"),
                Arguments.of(sync("keep-alive: 2m"), "sync[0].keep-alive"),
                Arguments.of(replace("      path: /srv/ferry/photos\n", "      path: /srv/ferry/missing\n"),
                        "receive.folders.photos.path"),
                Arguments.of(replace("  token-file: /etc/ferry/token\n", "  token-file: /etc/ferry/missing\n"),
                        "receive.token-file"),
                Arguments.of(replace("      path: /srv/ferry/photos\n",
                        "      path: /srv/ferry/photos\n    inner:\n      path: /srv/ferry/photos/inner\n"),
                        "receive.folders.inner.path"),
                Arguments.of(MINIMAL + "  - source: /srv/ferry/photos\n    targets: [ \"ferry://nas.example:7878/photos\" ]\n"
                        + "    token-file: /etc/ferry/token\n", "sync[1].targets[0]"));
    }

    @ParameterizedTest
    @MethodSource("loaderOnly")
    void whatOnlyTheLoaderChecksPassesTheSchema(String yaml, String loaderKey) throws Exception {
        assertThat(ConfigSchemaTest.errors(yaml)).isEmpty();
        try (JimfsConfig fs = new JimfsConfig()) {
            fs.directory("/srv/ferry/photos/inner");
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> fs.load(yaml));
            assertThat(e).isNotNull();
            assertThat(e.key()).isEqualTo(loaderKey);
        }
    }

    @Test
    void durationPatternMatchesExactlyWhatDurationsParses() throws Exception {
        Pattern pattern = definitionPattern("duration");
        for (String s : List.of("0ms", "500ms", "30s", "5m", "2h", "7d", " 5m ", "5 m", "60", "60sec", "5M", "5S",
                "1.5s", "-1s", "s", "", "1w", "ms5")) {
            assertThat(pattern.matcher(s).find()).as("\"%s\"", s).isEqualTo(parses(() -> Durations.parse(s)));
        }
    }

    @Test
    void sizePatternMatchesExactlyWhatByteSizesParses() throws Exception {
        Pattern pattern = definitionPattern("size");
        for (String s : List.of("0", "1048576", "64KiB", "64kib", "4 MiB", "1GB", "1tb", "10b", "10B", "4M", "4K",
                "1.5MiB", "-1", "MiB", "1 KiBs", "1iB", "1PiB", "")) {
            assertThat(pattern.matcher(s).find()).as("\"%s\"", s).isEqualTo(parses(() -> ByteSizes.parse(s)));
        }
    }

    @Test
    void folderNamePatternMatchesExactlyTheFolderNameRule() throws Exception {
        Pattern pattern = definitionPattern("folderName");
        for (String s : List.of("photos", "a", "_x", "-x", "my.photos_2024-x", "x".repeat(64), "x".repeat(65), ".hidden",
                "a b", "a/b", "fötos", "")) {
            assertThat(pattern.matcher(s).find()).as("\"%s\"", s).isEqualTo(FolderName.isValid(s));
        }
    }

    private static Pattern definitionPattern(String name) throws Exception {
        JsonNode pattern = ConfigReference.schema().path("$defs").path(name).path("pattern");
        assertThat(pattern.isTextual()).as("$defs/%s/pattern", name).isTrue();
        return Pattern.compile(pattern.asText());
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
