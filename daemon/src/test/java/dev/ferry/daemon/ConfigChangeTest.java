package dev.ferry.daemon;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.Durability;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diff a reload applies, from two config records (and the token files whose contents changed). */
class ConfigChangeTest {
    static final Path FILE = Path.of("/etc/ferry/ferry.yaml");
    static final Path STATE = Path.of("/var/lib/ferry");
    static final Path TOKEN = Path.of("/etc/ferry/token");
    static final FerryUri NAS = FerryUri.parse("ferry://nas/photos");
    static final FerryUri OFFSITE = FerryUri.parse("ferry://offsite/photos");
    static final SyncConfig PHOTOS = SyncConfig.defaults(Path.of("/srv/photos"), List.of(NAS), TOKEN);
    static final SyncConfig MUSIC = SyncConfig.defaults(Path.of("/srv/music"), List.of(NAS), TOKEN);
    static final SyncConfig DOCS = SyncConfig.defaults(Path.of("/srv/docs"), List.of(NAS), TOKEN);
    static final ReceiveConfig INBOX = ReceiveConfig.defaults(HostPort.parse("0.0.0.0:7878"), TOKEN,
            Map.of("inbox", Path.of("/srv/inbox")));

    static FerryConfig config(Optional<ReceiveConfig> receive, SyncConfig... syncs) {
        return new FerryConfig(FILE, STATE, receive, List.of(syncs));
    }

    @Test
    void addedRemovedAndUnchangedPairsByEquality() {
        ConfigChange c = ConfigChange.between(config(Optional.empty(), PHOTOS, MUSIC), config(Optional.empty(), PHOTOS, DOCS),
                Set.of());

        assertThat(c.added()).containsExactly(DOCS);
        assertThat(c.removed()).containsExactly(MUSIC);
        assertThat(c.changed()).isEmpty();
        assertThat(c.unchanged()).containsExactly(PHOTOS);
        assertThat(c.receiver()).isEqualTo(new ConfigChange.ReceiverChange.Unchanged());
        assertThat(c.summary()).isEqualTo("pairs added=[/srv/docs] removed=[/srv/music] restarted=[] unchanged=1;"
                + " receiver unchanged");
    }

    @Test
    void sameSourceWithOtherSettingsIsChangedWithTheKeysThatDiffer() {
        SyncConfig photos2 = new SyncConfig(PHOTOS.source(), List.of(NAS, OFFSITE), TOKEN, false, List.of("*.tmp"),
                PHOTOS.chunkSize(), Duration.ofSeconds(1), PHOTOS.rescanInterval(), PHOTOS.connections(),
                PHOTOS.chunkAttempts(), PHOTOS.journalCommit(), PHOTOS.readTimeout(), PHOTOS.keepAlive());

        ConfigChange c = ConfigChange.between(config(Optional.empty(), PHOTOS, MUSIC), config(Optional.empty(), MUSIC, photos2),
                Set.of());

        assertThat(c.changed()).containsExactly(new ConfigChange.Replaced(PHOTOS, photos2,
                List.of("targets", "delete", "ignore", "debounce")));
        assertThat(c.unchanged()).containsExactly(MUSIC);
        assertThat(c.added()).isEmpty();
        assertThat(c.removed()).isEmpty();
        assertThat(c.summary()).isEqualTo("pairs added=[] removed=[] restarted=[/srv/photos (targets, delete, ignore,"
                + " debounce)] unchanged=1; receiver unchanged");
    }

    @Test
    void aRotatedTokenRestartsThePairsAndTheReceiverThatUseIt() {
        Path other = Path.of("/etc/ferry/other-token");
        SyncConfig music = SyncConfig.defaults(MUSIC.source(), List.of(NAS), other);
        FerryConfig running = config(Optional.of(INBOX), PHOTOS, music);

        ConfigChange c = ConfigChange.between(running, running, Set.of(TOKEN));

        assertThat(c.changed()).containsExactly(new ConfigChange.Replaced(PHOTOS, PHOTOS, List.of("token")));
        assertThat(c.unchanged()).containsExactly(music);
        assertThat(c.receiver()).isEqualTo(new ConfigChange.ReceiverChange.Restarted(INBOX, INBOX, List.of("token")));
        assertThat(c.summary()).endsWith("restarted=[/srv/photos (token)] unchanged=1; receiver restarted (token)");
    }

    @Test
    void anotherStateDirRestartsEveryPair() {
        FerryConfig moved = new FerryConfig(FILE, Path.of("/srv/state"), Optional.empty(), List.of(PHOTOS));

        ConfigChange c = ConfigChange.between(config(Optional.empty(), PHOTOS), moved, Set.of());

        assertThat(c.changed()).containsExactly(new ConfigChange.Replaced(PHOTOS, PHOTOS, List.of("state-dir")));
        assertThat(c.unchanged()).isEmpty();
    }

    static Map<String, Path> inOrder(String name1, Path dir1, String name2, Path dir2) {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put(name1, dir1);
        folders.put(name2, dir2);
        return folders;
    }

    @Test
    void receiverStartsStopsAndRestartsWithTheFoldersSpeltOut() {
        ReceiveConfig moved = new ReceiveConfig(HostPort.parse("127.0.0.1:7879"), TOKEN,
                inOrder("inbox", Path.of("/srv/inbox2"), "docs", Path.of("/srv/docs-in")), INBOX.maxConnections(),
                INBOX.readTimeout(), Durability.NONE, INBOX.maxFileSize());
        ReceiveConfig gone = ReceiveConfig.defaults(INBOX.listen(), TOKEN, Map.of("other", Path.of("/srv/other")));

        assertThat(ConfigChange.between(config(Optional.empty(), PHOTOS), config(Optional.of(INBOX), PHOTOS), Set.of())
                .receiver()).isEqualTo(new ConfigChange.ReceiverChange.Started(INBOX));
        assertThat(ConfigChange.between(config(Optional.of(INBOX), PHOTOS), config(Optional.empty(), PHOTOS), Set.of())
                .summary()).isEqualTo("pairs added=[] removed=[] restarted=[] unchanged=1; receiver stopped");
        ConfigChange restart = ConfigChange.between(config(Optional.of(INBOX)), config(Optional.of(moved)), Set.of());
        assertThat(restart.receiver()).isEqualTo(new ConfigChange.ReceiverChange.Restarted(INBOX, moved,
                List.of("listen", "folders", "durability")));
        assertThat(restart.summary()).endsWith("receiver restarted (listen, folders ~inbox +docs, durability)");
        assertThat(ConfigChange.between(config(Optional.of(INBOX)), config(Optional.of(gone)), Set.of()).summary())
                .endsWith("receiver restarted (folders +other -inbox)");
    }

    @Test
    void nothingChangedIsEmptyEvenWithTheEntriesReordered() {
        ConfigChange c = ConfigChange.between(config(Optional.of(INBOX), PHOTOS, MUSIC),
                config(Optional.of(INBOX), MUSIC, PHOTOS), Set.of());

        assertThat(c.isEmpty()).isTrue();
        assertThat(c.unchanged()).containsExactly(MUSIC, PHOTOS);
        assertThat(c.summary()).isEqualTo("nothing changed");
    }

    @Test
    void aNewShutdownTimeoutIsAChangeOfItsOwn() {
        FerryConfig longer = new FerryConfig(FILE, STATE, Optional.empty(), List.of(PHOTOS), Duration.ofSeconds(30));

        ConfigChange c = ConfigChange.between(config(Optional.empty(), PHOTOS), longer, Set.of());

        assertThat(c.isEmpty()).isFalse();
        assertThat(c.shutdownTimeout()).contains(Duration.ofSeconds(30));
        assertThat(c.summary()).endsWith("unchanged=1; receiver unchanged; shutdown-timeout=30s");
    }

    @Test
    void tokenPrintsTellARotatedFileFromAnUnchangedOne(@TempDir Path dir) throws Exception {
        Path a = Secrets.write(dir.resolve("a"), "token-a-0123456789abcdef");
        Path b = Secrets.write(dir.resolve("b"), "token-b-0123456789abcdef");
        FerryConfig config = new FerryConfig(FILE, STATE, Optional.empty(), List.of(
                SyncConfig.defaults(Path.of("/srv/a"), List.of(NAS), a), SyncConfig.defaults(Path.of("/srv/b"), List.of(NAS), b)));
        TokenPrints before = TokenPrints.of(config);

        Secrets.write(a, "token-a-rotated-0123456789");

        assertThat(before.rotatedIn(TokenPrints.of(config))).containsExactly(a);
        assertThat(before.rotatedIn(before)).isEmpty();
        assertThat(before.prints().values()).noneMatch(p -> p.contains("token"));
    }
}
