package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Errors in the shape of the YAML: syntax, unknown and missing keys, wrong types. Each asserts the whole message. */
class ConfigStructureErrorsTest {
    private static final String F = JimfsConfig.CONFIG;
    private static final String SYNTAX_FIX = "; check the indentation (spaces, not tabs), colons, quotes and brackets";
    private final JimfsConfig fs = new JimfsConfig();

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void misspelledTopLevelKeySuggestsTheRightOne() {
        assertThat(fs.error("""
                state-dir: /var/lib/ferry
                recieve:
                  listen: 0.0.0.0:7878
                """)).isEqualTo(F + ":2: recieve: unknown key; did you mean receive?"
                + " Allowed at the top level: identity, transport, state-dir, shutdown-timeout, log-format, metrics, receive, sync");
    }

    @Test
    void unknownKeyOnTheLastLineIsReportedOnItsOwnLine() {
        // Jackson data binding reports this one past the end of the document; we must not.
        String message = fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      path: /srv/ferry/photos
                  max_connections: 8

                # trailing comment
                """);

        assertThat(message).isEqualTo(F + ":7: receive.max_connections: unknown key; did you mean max-connections?"
                + " Allowed in receive: listen, token-file, max-connections, read-timeout, durability, max-file-size, trash, partial-max-age, folders");
    }

    @Test
    void unknownKeyWithNoCloseMatchListsTheAllowedKeys() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                    compression: zstd
                """)).isEqualTo(F + ":5: sync[0].compression: unknown key;"
                + " allowed in sync[0]: source, targets, token-file, delete, ignore, chunk-size, debounce, rescan-interval, connections,"
                + " chunk-attempts, journal-commit, read-timeout, keep-alive, compress, bwlimit, verify");
    }

    @Test
    void camelCaseKeySuggestsTheKebabCaseOne() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  readTimeout: 30s
                """)).isEqualTo(F + ":3: receive.readTimeout: unknown key; did you mean read-timeout?"
                + " Allowed in receive: listen, token-file, max-connections, read-timeout, durability, max-file-size, trash, partial-max-age, folders");
    }

    @Test
    void unknownKeyInsideAFolderIsNamedWithItsFolder() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      pth: /srv/ferry/photos
                """)).isEqualTo(F + ":6: receive.folders.photos.pth: unknown key; did you mean path?"
                + " Allowed in receive.folders.photos: path, allow, token-file");
    }

    @Test
    void wordWhereANumberBelongs() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  max-connections: lots
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":4: receive.max-connections: expected a whole number from 1 to 10000, got \"lots\"");
    }

    @Test
    void wordWhereABooleanBelongs() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                    delete: maybe
                """)).isEqualTo(F + ":5: sync[0].delete: expected true or false, got \"maybe\"");
    }

    @Test
    void listWhereFoldersMappingBelongs() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders: [a, b]
                """)).isEqualTo(F + ":4: receive.folders: expected a mapping of folder names to settings,"
                + " e.g. photos: {path: /srv/ferry/photos}, got a list");
    }

    @Test
    void folderWrittenAsABarePath() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos: /srv/ferry/photos
                """)).isEqualTo(F + ":5: receive.folders.photos: expected a mapping with path,"
                + " e.g. photos: {path: /srv/ferry/photos}, got \"/srv/ferry/photos\"");
    }

    @Test
    void singleTargetWrittenWithoutAList() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: ferry://nas/photos
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":3: sync[0].targets: expected a list of ferry URIs,"
                + " e.g. [ \"ferry://nas.example:7878/photos\" ], got \"ferry://nas/photos\"");
    }

    @Test
    void syncWrittenAsAMappingInsteadOfAList() {
        assertThat(fs.error("""
                sync:
                  source: /srv/ferry/photos
                """)).isEqualTo(F + ":1: sync: expected a list of sync entries, each starting with \"- source: DIR\","
                + " got a mapping");
    }

    @Test
    void keyWithoutAValue() {
        assertThat(fs.error("""
                receive:
                  listen:
                  token-file: /etc/ferry/token
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":2: receive.listen: has no value; give it one or remove the line");
        assertThat(fs.error("receive:\n")).isEqualTo(F + ":1: receive: expected a mapping with listen,"
                + " token-file and folders, got nothing");
    }

    @Test
    void missingRequiredKeyPointsAtItsSection() {
        assertThat(fs.error("""
                state-dir: /var/lib/ferry
                receive:
                  token-file: /etc/ferry/token
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":2: receive.listen: missing; add \"listen: 0.0.0.0:7878\" to receive");
    }

    @Test
    void missingRequiredKeyInASyncEntryPointsAtTheEntry() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                  - targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":5: sync[1].source: missing; add \"source: /home/alice/photos\" to sync[1]");
    }

    @Test
    void missingFoldersAndMissingFolderPath() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                """)).isEqualTo(F + ":1: receive.folders: missing;"
                + " add \"folders: {photos: {path: /srv/ferry/photos}}\" to receive");
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos: {}
                """)).isEqualTo(F + ":5: receive.folders.photos.path: missing;"
                + " add \"path: /srv/ferry/photos\" to receive.folders.photos");
    }

    @Test
    void emptyListsAndMappingsWhereOneIsNeeded() {
        assertThat(fs.error("sync: []\n")).isEqualTo(F + ":1: sync: is an empty list; add an entry"
                + " (\"- source: DIR\" with targets and token-file) or remove sync");
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders: {}
                """)).isEqualTo(F + ":4: receive.folders: has no folders; add at least one,"
                + " e.g. photos: {path: /srv/ferry/photos}");
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: []
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":3: sync[0].targets: is an empty list; add at least one target,"
                + " e.g. [ \"ferry://nas.example:7878/photos\" ]");
    }

    @Test
    void emptyFileAndCommentOnlyFile() {
        String empty = F + ": the config file is empty; add a receive section, a sync list or both"
                + " (see the examples in config/)";
        assertThat(fs.error("")).isEqualTo(empty);
        assertThat(fs.error("# ferry config\n\n# nothing yet\n")).isEqualTo(empty);
        assertThat(fs.error("---\n")).isEqualTo(empty);
    }

    @Test
    void emptyFileExceptionHasNoLineAndNoKey() {
        assertThatThrownBy(() -> fs.load("")).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.file()).isEqualTo(fs.path(F));
            assertThat(e.line()).isZero();
            assertThat(e.key()).isEmpty();
        });
    }

    @Test
    void configWithNeitherReceiveNorSync() {
        assertThat(fs.error("state-dir: /var/lib/ferry\n")).isEqualTo(F + ":1: nothing to do: add a receive section,"
                + " a sync list or both (see the examples in config/)");
    }

    @Test
    void topLevelListOrText() {
        assertThat(fs.error("- receive\n- sync\n")).isEqualTo(F + ":1: expected a mapping of keys"
                + " (identity, transport, state-dir, shutdown-timeout, log-format, metrics, receive, sync) at the top level, got a list");
        assertThat(fs.error("hello\n")).isEqualTo(F + ":1: expected a mapping of keys"
                + " (identity, transport, state-dir, shutdown-timeout, log-format, metrics, receive, sync) at the top level, got \"hello\"");
    }

    @Test
    void syntaxErrorNamesTheLine() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                   token-file: /etc/ferry/token
                """)).isEqualTo(F + ":3: YAML syntax error: mapping values are not allowed here" + SYNTAX_FIX);
    }

    @Test
    void syntaxErrorInsideBracketsNamesWhereTheyOpened() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos"
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":4: YAML syntax error: expected ',' or ']', but got <scalar>"
                + " (while parsing a flow sequence on line 3)" + SYNTAX_FIX);
    }

    @Test
    void tabIndentationIsASyntaxError() {
        assertThat(fs.error("receive:\n\tlisten: 0.0.0.0:7878\n")).isEqualTo(F + ":2: YAML syntax error:"
                + " found character 'TAB' that cannot start any token. (Do not use TAB for indentation)"
                + " (while scanning for the next token)" + SYNTAX_FIX);
    }

    @Test
    void unclosedQuote() {
        assertThat(fs.errorAsWritten("receive:\n  listen: \"0.0.0.0:7878\n")).isEqualTo(F + ":3: YAML syntax error:"
                + " found unexpected end of stream (while scanning a quoted scalar on line 2)" + SYNTAX_FIX);
    }

    @Test
    void listAsAKey() {
        assertThat(fs.error("? [a, b]\n: 1\n")).isEqualTo(F + ":1: YAML syntax error: a key must be a plain name,"
                + " not a list or a mapping" + SYNTAX_FIX);
    }

    @Test
    void duplicateKey() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  listen: 0.0.0.0:7879
                """)).isEqualTo(F + ":4: receive.listen: duplicate key (first on line 2); keep only one");
    }

    @Test
    void aliases() {
        assertThat(fs.error("""
                x-token: &token /etc/ferry/token
                sync:
                  - source: /srv/ferry/photos
                    token-file: *token
                """)).isEqualTo(F + ":4: sync[0].token-file: YAML aliases (*token) are not supported;"
                + " write the value out in full");
    }

    @Test
    void secondDocument() {
        assertThat(fs.error("""
                state-dir: /var/lib/ferry
                ---
                sync: []
                """)).isEqualTo(F + ":3: a second YAML document starts here; a config file holds one document"
                + " (remove the '---' line)");
    }

    @Test
    void configFileThatDoesNotExistOrIsADirectory() {
        assertThatThrownBy(() -> ConfigLoader.load(fs.path("/etc/ferry/nope.yaml"), JimfsConfig.ENV))
                .hasMessage("/etc/ferry/nope.yaml: the config file does not exist; check the path");
        assertThatThrownBy(() -> ConfigLoader.load(fs.path("/etc/ferry"), JimfsConfig.ENV))
                .hasMessage("/etc/ferry: cannot read the config file: it is a directory");
    }

    @Test
    void configFileThatIsNotUtf8() throws Exception {
        Path file = fs.path(F);
        java.nio.file.Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});

        assertThatThrownBy(() -> ConfigLoader.load(file, JimfsConfig.ENV))
                .hasMessage(F + ": the config file is not UTF-8 text; save it as UTF-8");
    }
}
