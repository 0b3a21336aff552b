package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default state dir under systemd: {@code StateDirectory=ferry} makes {@code /var/lib/ferry} and passes it as
 * {@code $STATE_DIRECTORY}, which wins over {@code $XDG_STATE_HOME} (root's, or the ferry user's home, would
 * otherwise be used). The real process reading the real variable: {@code dev.ferry.e2e.SystemdNotifyTest}.
 */
class StateDirectoryDefaultTest {
    private static final String SENDER = """
            sync:
              - source: /srv/ferry/photos
                targets: [ "ferry://nas/photos" ]
                token-file: /etc/ferry/token
            """;

    private final JimfsConfig fs = new JimfsConfig();

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    private Path stateDir(String stateDirectory, String xdgStateHome, String yaml) throws ConfigException {
        return ConfigLoader.load(fs.file(JimfsConfig.CONFIG, yaml),
                new Environment(stateDirectory, xdgStateHome, "/home/alice")).stateDir();
    }

    @Test
    void stateDirectoryFromSystemdIsTheDefaultItself() throws Exception {
        assertThat(stateDir("/var/lib/ferry", "", SENDER)).isEqualTo(fs.path("/var/lib/ferry"));
        assertThat(stateDir("/var/lib/ferry/photos", "", SENDER))
                .as("ferry@photos.service: StateDirectory=ferry/%i").isEqualTo(fs.path("/var/lib/ferry/photos"));
    }

    @Test
    void stateDirectoryWinsOverXdgStateHome() throws Exception {
        assertThat(stateDir("/var/lib/ferry", "/home/alice/.state", SENDER)).isEqualTo(fs.path("/var/lib/ferry"));
    }

    @Test
    void firstOfSeveralStateDirectoriesIsFerrys() throws Exception {
        assertThat(stateDir("/var/lib/ferry:/var/lib/other", "", SENDER)).isEqualTo(fs.path("/var/lib/ferry"));
    }

    @Test
    void emptyOrRelativeStateDirectoryFallsBackToXdgThenHome() throws Exception {
        assertThat(stateDir("", "/home/alice/.state", SENDER)).isEqualTo(fs.path("/home/alice/.state/ferry"));
        assertThat(stateDir("var/lib/ferry", "", SENDER)).isEqualTo(fs.path("/home/alice/.local/state/ferry"));
        assertThat(stateDir(":/var/lib/ferry", "", SENDER))
                .as("an empty first entry is no state directory").isEqualTo(fs.path("/home/alice/.local/state/ferry"));
    }

    @Test
    void stateDirInTheConfigWinsOverStateDirectory() throws Exception {
        assertThat(stateDir("/var/lib/ferry", "", "state-dir: /srv/ferry/state\n" + SENDER))
                .isEqualTo(fs.path("/srv/ferry/state"));
    }
}
