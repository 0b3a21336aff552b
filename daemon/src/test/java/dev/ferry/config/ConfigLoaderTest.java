package dev.ferry.config;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final JimfsConfig fs = new JimfsConfig();

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    @Test
    void receiverWithOnlyRequiredKeysGetsDefaults() throws Exception {
        FerryConfig config = fs.load("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      path: /srv/ferry/photos
                """);

        assertThat(config.file()).isEqualTo(fs.path(JimfsConfig.CONFIG));
        assertThat(config.sync()).isEmpty();
        assertThat(config.receive()).contains(ReceiveConfig.defaults(new HostPort("0.0.0.0", 7878),
                fs.path("/etc/ferry/token"), Map.of("photos", fs.path("/srv/ferry/photos"))));
    }

    @Test
    void receiverReadsEveryOptionalKey() throws Exception {
        fs.directory("/srv/ferry/documents");
        ReceiveConfig receive = fs.load("""
                receive:
                  listen: "[::1]:0"
                  token-file: /etc/ferry/token
                  max-connections: 10000
                  read-timeout: 500ms
                  durability: none
                  max-file-size: 4 GiB
                  folders:
                    photos: {path: /srv/ferry/photos}
                    documents: {path: /srv/ferry/documents}
                """).receive().orElseThrow();

        assertThat(receive.listen()).isEqualTo(new HostPort("::1", 0));
        assertThat(receive.maxConnections()).isEqualTo(10_000);
        assertThat(receive.readTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(receive.durability()).isEqualTo(Durability.NONE);
        assertThat(receive.maxFileSize()).isEqualTo(4L << 30);
        assertThat(receive.folders()).containsExactly(
                Map.entry("photos", fs.path("/srv/ferry/photos")),
                Map.entry("documents", fs.path("/srv/ferry/documents")));
    }

    @Test
    void foldersKeepTheOrderOfTheFile() throws Exception {
        for (String name : List.of("zeta", "alpha", "mid")) {
            fs.directory("/srv/" + name);
        }
        ReceiveConfig receive = fs.load("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    zeta: {path: /srv/zeta}
                    alpha: {path: /srv/alpha}
                    mid: {path: /srv/mid}
                """).receive().orElseThrow();

        assertThat(receive.folders().keySet()).containsExactly("zeta", "alpha", "mid");
    }

    @Test
    void plainByteCountIsAValidSize() throws Exception {
        ReceiveConfig receive = fs.load("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  max-file-size: 1048576
                  folders: {photos: {path: /srv/ferry/photos}}
                """).receive().orElseThrow();

        assertThat(receive.maxFileSize()).isEqualTo(1_048_576);
    }

    @Test
    void syncWithOnlyRequiredKeysGetsDefaults() throws Exception {
        FerryConfig config = fs.load("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas.example/photos" ]
                    token-file: /etc/ferry/token
                """);

        assertThat(config.receive()).isEmpty();
        assertThat(config.sync()).containsExactly(SyncConfig.defaults(fs.path("/srv/ferry/photos"),
                List.of(new FerryUri("nas.example", 7878, "photos", "")), fs.path("/etc/ferry/token")));
    }

    @Test
    void syncReadsEveryOptionalKey() throws Exception {
        SyncConfig sync = fs.load("""
                sync:
                  - source: /srv/ferry/photos
                    targets:
                      - ferry://nas.example:7878/photos
                      - ferry://backup:7000/photos/laptop
                    token-file: /etc/ferry/token
                    delete: false
                    ignore: [ "*.tmp", ".cache/" ]
                    chunk-size: 64KiB
                """).sync().getFirst();

        assertThat(sync.targets()).containsExactly(new FerryUri("nas.example", 7878, "photos", ""),
                new FerryUri("backup", 7000, "photos", "laptop"));
        assertThat(sync.delete()).isFalse();
        assertThat(sync.ignore()).containsExactly("*.tmp", ".cache/");
        assertThat(sync.chunkSize()).isEqualTo(64 * 1024);
    }

    @Test
    void relativePathsResolveAgainstTheConfigFolder() throws Exception {
        fs.directory("/etc/ferry/inbox");
        fs.token("/etc/ferry/keys/token");
        FerryConfig config = fs.load("""
                state-dir: state
                receive:
                  listen: 0.0.0.0:7878
                  token-file: keys/token
                  folders:
                    inbox: {path: ./inbox/}
                    photos: {path: ../../srv/ferry/photos}
                """);

        assertThat(config.stateDir()).isEqualTo(fs.path("/etc/ferry/state"));
        ReceiveConfig receive = config.receive().orElseThrow();
        assertThat(receive.tokenFile()).isEqualTo(fs.path("/etc/ferry/keys/token"));
        assertThat(receive.folders()).containsEntry("inbox", fs.path("/etc/ferry/inbox"))
                .containsEntry("photos", fs.path("/srv/ferry/photos"));
    }

    @Test
    void relativeConfigPathIsMadeAbsolute() throws Exception {
        fs.file("/work/ferry.yaml", """
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """);

        FerryConfig config = ConfigLoader.load(fs.path("ferry.yaml"), JimfsConfig.ENV);

        assertThat(config.file()).isEqualTo(fs.path("/work/ferry.yaml"));
    }

    @Test
    void tildeMeansTheHomeDirectory() throws Exception {
        fs.directory("/home/alice/photos");
        fs.token("/home/alice/.config/ferry/token");
        FerryConfig config = fs.load("""
                state-dir: ~/state
                sync:
                  - source: ~/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: ~/.config/ferry/token
                """);

        assertThat(config.stateDir()).isEqualTo(fs.path("/home/alice/state"));
        assertThat(config.sync().getFirst().source()).isEqualTo(fs.path("/home/alice/photos"));
        assertThat(config.sync().getFirst().tokenFile()).isEqualTo(fs.path("/home/alice/.config/ferry/token"));
    }

    @Test
    void stateDirDefaultsToXdgStateHomeThenToLocalState() throws Exception {
        Path file = fs.file(JimfsConfig.CONFIG, """
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """);

        assertThat(ConfigLoader.load(file, new Environment("", "/home/alice/.state", "/home/alice")).stateDir())
                .isEqualTo(fs.path("/home/alice/.state/ferry"));
        assertThat(ConfigLoader.load(file, new Environment("", "", "/home/alice")).stateDir())
                .isEqualTo(fs.path("/home/alice/.local/state/ferry"));
        assertThat(ConfigLoader.load(file, new Environment("", "relative/state", "/home/alice")).stateDir())
                .as("the XDG spec says to ignore a relative XDG_STATE_HOME")
                .isEqualTo(fs.path("/home/alice/.local/state/ferry"));
    }

    @Test
    void loadsFromTheRealFileSystem(@TempDir Path dir) throws Exception {
        Path photos = Files.createDirectory(dir.resolve("photos"));
        Secrets.write(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        Path file = Files.writeString(dir.resolve("ferry.yaml"), """
                transport: plaintext
                receive:
                  listen: 127.0.0.1:0
                  token-file: token
                  folders:
                    photos: {path: photos}
                """);

        FerryConfig config = ConfigLoader.load(file);

        assertThat(config.receive().orElseThrow().folders()).containsEntry("photos", photos);
        assertThat(config.stateDir()).isEqualTo(ConfigLoader.defaultStateDir());
    }

    @Test
    void loadingCreatesNothing() throws Exception {
        fs.load("""
                state-dir: /var/lib/ferry
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """);

        assertThat(fs.path("/var/lib/ferry")).doesNotExist();
        assertThat(fs.path("/var")).doesNotExist();
    }
}
