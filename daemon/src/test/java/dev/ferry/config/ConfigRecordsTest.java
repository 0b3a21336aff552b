package dev.ferry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The records' compact constructors: single-field checks and immutable copies, for code that builds them directly. */
class ConfigRecordsTest {
    private static final HostPort LISTEN = new HostPort("127.0.0.1", 0);
    private static final Path TOKEN = Path.of("/etc/ferry/token");
    private static final Path PHOTOS = Path.of("/srv/ferry/photos");
    private static final FerryUri NAS = FerryUri.parse("ferry://nas/photos");

    @Test
    void receiveDefaults() {
        ReceiveConfig receive = ReceiveConfig.defaults(LISTEN, TOKEN, Map.of("photos", PHOTOS));

        assertThat(receive.maxConnections()).isEqualTo(64);
        assertThat(receive.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(receive.durability()).isEqualTo(Durability.FSYNC);
        assertThat(receive.maxFileSize()).isEqualTo(1L << 40);
    }

    @Test
    void receiveFoldersAreAnOrderedImmutableCopy() {
        Map<String, Path> folders = new LinkedHashMap<>();
        folders.put("b", Path.of("/b"));
        folders.put("a", Path.of("/a"));
        ReceiveConfig receive = ReceiveConfig.defaults(LISTEN, TOKEN, folders);
        folders.put("c", Path.of("/c"));

        assertThat(receive.folders().keySet()).containsExactly("b", "a");
        assertThatThrownBy(() -> receive.folders().put("d", Path.of("/d"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void receiveRefusesBadFields() {
        assertThatThrownBy(() -> ReceiveConfig.defaults(LISTEN, TOKEN, Map.of()))
                .hasMessage("receive needs at least one folder");
        assertThatThrownBy(() -> ReceiveConfig.defaults(LISTEN, TOKEN, Map.of(".git", PHOTOS)))
                .hasMessage("folder name \".git\" is invalid: use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
        assertThatThrownBy(() -> ReceiveConfig.defaults(LISTEN, TOKEN, Map.of("photos", Path.of("photos"))))
                .hasMessage("folder photos: path photos is not absolute");
        assertThatThrownBy(() -> new ReceiveConfig(LISTEN, TOKEN, Map.of("photos", PHOTOS), 0, Duration.ofSeconds(1),
                Durability.NONE, 1)).hasMessage("maxConnections=0 is outside 1..10000");
        assertThatThrownBy(() -> new ReceiveConfig(LISTEN, TOKEN, Map.of("photos", PHOTOS), 1, Duration.ZERO,
                Durability.NONE, 1)).hasMessage("readTimeout=0ms is outside (0, 1d]");
        assertThatThrownBy(() -> new ReceiveConfig(LISTEN, TOKEN, Map.of("photos", PHOTOS), 1, Duration.ofSeconds(1),
                Durability.NONE, 0)).hasMessage("maxFileSize=0 must be at least 1");
    }

    @Test
    void receiveRefusesAKeepLongerThanTenYearsAsTheReaderDoes() {
        assertThatThrownBy(() -> new ReceiveConfig(LISTEN, TOKEN, Map.of("photos", PHOTOS), 1, Duration.ofSeconds(1),
                Durability.NONE, 1, Duration.ofDays(3651), ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE))
                .hasMessage("trash=3651d is longer than 3650d");
        assertThatThrownBy(() -> new ReceiveConfig(LISTEN, TOKEN, Map.of("photos", PHOTOS), 1, Duration.ofSeconds(1),
                Durability.NONE, 1, Duration.ZERO, Duration.ofDays(3651)))
                .hasMessage("partialMaxAge=3651d is longer than 3650d");
    }

    @Test
    void syncDefaultsAndImmutableLists() {
        List<FerryUri> targets = new ArrayList<>(List.of(NAS));
        SyncConfig sync = SyncConfig.defaults(PHOTOS, targets, TOKEN);
        targets.add(FerryUri.parse("ferry://backup/photos"));

        assertThat(sync.targets()).containsExactly(NAS);
        assertThat(sync.delete()).isTrue();
        assertThat(sync.ignore()).isEmpty();
        assertThat(sync.chunkSize()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> sync.targets().add(NAS)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void syncRefusesBadFields() {
        assertThatThrownBy(() -> SyncConfig.defaults(PHOTOS, List.of(), TOKEN)).hasMessage("a sync needs at least one target");
        assertThatThrownBy(() -> SyncConfig.defaults(PHOTOS, List.of(NAS, NAS), TOKEN))
                .hasMessage("duplicate target in [ferry://nas:7878/photos, ferry://nas:7878/photos]");
        assertThatThrownBy(() -> SyncConfig.defaults(Path.of("photos"), List.of(NAS), TOKEN))
                .hasMessage("source photos is not absolute");
        assertThatThrownBy(() -> new SyncConfig(PHOTOS, List.of(NAS), TOKEN, true, List.of(), 4096))
                .hasMessage("chunkSize=4096 is outside 65536..8388608");
    }

    @Test
    void ferryConfigCopiesTheSyncList() {
        List<SyncConfig> syncs = new ArrayList<>(List.of(SyncConfig.defaults(PHOTOS, List.of(NAS), TOKEN)));
        FerryConfig config = new FerryConfig(Path.of("/etc/ferry/ferry.yaml"), Path.of("/var/lib/ferry"),
                Optional.empty(), syncs);
        syncs.clear();

        assertThat(config.sync()).hasSize(1);
    }

    @Test
    void durabilityUsesTheYamlSpelling() {
        assertThat(Durability.parse("fsync")).isEqualTo(Durability.FSYNC);
        assertThat(Durability.parse("none")).isEqualTo(Durability.NONE);
        assertThat(Durability.NONE).hasToString("none");
        assertThatThrownBy(() -> Durability.parse("FSYNC")).hasMessage("expected fsync or none, got \"FSYNC\"");
    }
}
