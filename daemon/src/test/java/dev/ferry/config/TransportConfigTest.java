package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Identity;
import dev.ferry.auth.KeyGen;
import dev.ferry.auth.PeerId;
import dev.ferry.testing.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mode rules of the top-level {@code identity} and {@code transport}: TLS with pinned IDs whenever an identity is
 * configured, plaintext only when the file says so, and every contradiction an error at its file:line:key.
 */
class TransportConfigTest {
    static final String SENDER_ID = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT";
    @TempDir
    Path dir;
    Path file;
    Identity me;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("photos"));
        Files.createDirectories(dir.resolve("music"));
        Secrets.write(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        Secrets.write(dir.resolve("music-token"), "music-music-music-music-music\n");
        me = KeyGen.generate(dir.resolve("identity"), Instant.now());
        file = dir.resolve("ferry.yaml");
    }

    FerryConfig load(String yaml) throws ConfigException {
        return ConfigLoader.load(writeConfig(yaml));
    }

    Path writeConfig(String yaml) {
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String error(String yaml) {
        writeConfig(yaml);
        try {
            throw new AssertionError("loaded " + ConfigLoader.load(file));
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void anIdentityMeansTlsWithAllowListsFolderTokensAndPinnedTargets() throws ConfigException {
        FerryConfig config = load("""
                identity: identity
                receive:
                  listen: 127.0.0.1:0
                  folders:
                    photos: {path: photos, allow: [ %s ]}
                    music: {path: music, token-file: music-token}
                sync:
                  - source: photos
                    targets: [ "ferry://%s@nas:7878/photos" ]
                """.formatted(SENDER_ID.toLowerCase(), me.id()));

        ReceiveConfig rc = config.receive().orElseThrow();
        assertThat(rc.identity()).contains(dir.resolve("identity"));
        assertThat(rc.tokenFile()).as("no token: IDs open the folders").isNull();
        assertThat(rc.allow()).containsExactly(java.util.Map.entry("photos", List.of(PeerId.parse(SENDER_ID))));
        assertThat(rc.folderTokens()).containsExactly(java.util.Map.entry("music", dir.resolve("music-token")));
        SyncConfig sc = config.sync().getFirst();
        assertThat(sc.identity()).contains(dir.resolve("identity"));
        assertThat(sc.tokenFile()).isNull();
        assertThat(sc.targets().getFirst().id()).contains(me.id());
    }

    @Test
    void plaintextMustBeSaid() throws ConfigException {
        assertThat(error("""
                receive:
                  listen: 127.0.0.1:0
                  token-file: token
                  folders: {photos: {path: photos}}
                """)).isEqualTo(file + ":1: identity: no identity and no transport: configure \"identity: DIR\" (made by"
                + " ferry keygen DIR; TLS with pinned IDs), or write \"transport: plaintext\" to send in the clear with"
                + " the token (trusted LANs only)");
        assertThat(load("""
                transport: plaintext
                receive:
                  listen: 127.0.0.1:0
                  token-file: token
                  folders: {photos: {path: photos}}
                """).receive().orElseThrow().identity()).isEmpty();
    }

    @Test
    void tlsWithoutAnIdentityPlaintextWithOneAndAnUnknownTransportAreErrors() {
        String receive = """
                receive:
                  listen: 127.0.0.1:0
                  token-file: token
                  folders: {photos: {path: photos}}
                """;
        assertThat(error("transport: tls\n" + receive)).isEqualTo(file + ":1: transport: tls needs an identity: add"
                + " \"identity: /etc/ferry/identity\" (make it with ferry keygen /etc/ferry/identity), or write"
                + " transport: plaintext");
        assertThat(error("identity: identity\ntransport: plaintext\n" + receive)).isEqualTo(file + ":2: transport:"
                + " plaintext contradicts identity (line 1): with an identity ferry talks TLS; remove transport or"
                + " identity");
        assertThat(error("transport: ssl\n" + receive)).isEqualTo(file + ":1: transport: \"ssl\" is not a transport;"
                + " use tls (with identity: DIR) or plaintext");
    }

    @Test
    void targetsPinIdsExactlyWhenThereIsAnIdentity() {
        assertThat(error("""
                identity: identity
                sync:
                  - source: photos
                    targets: [ "ferry://nas:7878/photos" ]
                """)).isEqualTo(file + ":4: sync[0].targets[0]: has no receiver ID to pin; write it as"
                + " ferry://ID@nas:7878/photos (ferry id DIR on the receiver prints its ID)");
        assertThat(error("""
                transport: plaintext
                sync:
                  - source: photos
                    targets: [ "ferry://%s@nas:7878/photos" ]
                    token-file: token
                """.formatted(SENDER_ID))).isEqualTo(file + ":4: sync[0].targets[0]: pins receiver ID " + SENDER_ID
                + ", which needs this host's identity: add \"identity: DIR\" at the top level (made by ferry keygen DIR),"
                + " or drop the ID for transport: plaintext");
    }

    @Test
    void allowNeedsAnIdentityAndValidIdsEachOnce() {
        assertThat(error("""
                transport: plaintext
                receive:
                  listen: 127.0.0.1:0
                  token-file: token
                  folders:
                    photos: {path: photos, allow: [ %s ]}
                """.formatted(SENDER_ID))).isEqualTo(file + ":6: receive.folders.photos.allow: lists IDs, which only a"
                + " receiver with an identity can check; add \"identity: DIR\" at the top level (made by ferry keygen"
                + " DIR), or remove allow");
        assertThat(error("""
                identity: identity
                receive:
                  listen: 127.0.0.1:0
                  folders:
                    photos: {path: photos, allow: [ %s, %s ]}
                """.formatted(SENDER_ID, SENDER_ID.toLowerCase()))).startsWith(file + ":5: receive.folders.photos.allow[1]: "
                + SENDER_ID + " is listed twice; remove one");
        assertThat(error("""
                identity: identity
                receive:
                  listen: 127.0.0.1:0
                  folders:
                    photos: {path: photos, allow: [ nas ]}
                """)).startsWith(file + ":5: receive.folders.photos.allow[0]: 'nas' is not a ferry ID");
    }

    @Test
    void anIdentityWhoseKeyOthersCanReadIsRefusedWithTheChmodToRun() throws IOException {
        Path key = dir.resolve("identity").resolve(Identity.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(error("""
                identity: identity
                sync:
                  - source: photos
                    targets: [ "ferry://%s@nas/photos" ]
                """.formatted(SENDER_ID))).startsWith(file + ":1: identity: ").contains("chmod 600 " + key);
    }

    @Test
    void recordsRefuseTheContradictionsToo() {
        assertThatThrownBy(() -> new SyncConfig(dir, List.of(FerryUri.parse("ferry://nas/photos")), null, true, List.of(),
                SyncConfig.DEFAULT_CHUNK_SIZE)).hasMessage("a sync without an identity needs a token file");
        assertThatThrownBy(() -> new SyncConfig(dir, List.of(FerryUri.parse("ferry://nas/photos")), null, true,
                List.of(), SyncConfig.DEFAULT_CHUNK_SIZE, SyncConfig.DEFAULT_DEBOUNCE, SyncConfig.DEFAULT_RESCAN_INTERVAL,
                1, 1, SyncConfig.DEFAULT_JOURNAL_COMMIT, SyncConfig.DEFAULT_READ_TIMEOUT, SyncConfig.DEFAULT_KEEP_ALIVE,
                Optional.of(dir))).hasMessage("target ferry://nas:7878/photos has no receiver ID to pin");
    }
}
