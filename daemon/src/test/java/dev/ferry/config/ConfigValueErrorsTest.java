package dev.ferry.config;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.ferry.logging.LogFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors in values: paths, token files, addresses, URIs, sizes, durations, ranges, clashes. Whole messages. */
class ConfigValueErrorsTest {
    private static final String F = JimfsConfig.CONFIG;
    private final JimfsConfig fs = new JimfsConfig();

    @AfterEach
    void close() throws Exception {
        fs.close();
    }

    /** A valid receive section with {@code line7} appended as line 7. */
    private static String receiveWith(String line7) {
        return """
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      path: /srv/ferry/photos
                """ + line7 + "\n";
    }

    /** A valid sync entry with {@code line5} appended as line 5. */
    private static String syncWith(String line5) {
        return """
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """ + line5 + "\n";
    }

    @Test
    void compressionThatIsNotZstd() {
        assertThat(fs.error(syncWith("    compress: gzip"))).isEqualTo(F + ":5: sync[0].compress: unknown compression"
                + " \"gzip\": use zstd, zstd:LEVEL (1..19) or none");
        assertThat(fs.error(syncWith("    compress: zstd:0"))).isEqualTo(F + ":5: sync[0].compress: bad zstd level \"0\" in"
                + " \"zstd:0\": use a whole number from 1 to 19 (default 1)");
    }

    @Test
    void compressionAndBwlimitAsRead() throws Exception {
        SyncConfig sync = fs.load(syncWith("    compress: zstd:7\n    bwlimit: 10MiB")).sync().get(0);
        assertThat(sync.compress()).isEqualTo(dev.ferry.wire.Compression.zstd(7));
        assertThat(sync.bwlimit()).isEqualTo(10L << 20);
        assertThat(fs.load(syncWith("    compress: zstd")).sync().get(0).compress().level()).isEqualTo(1);
    }

    @Test
    void bwlimitTooLowForTheChunkSizeAndReadTimeout() {
        assertThat(fs.error(syncWith("    bwlimit: 1KiB"))).isEqualTo(F + ":5: sync[0].bwlimit: 1KiB is too low for"
                + " chunk-size 1MiB and read-timeout 2m; use 0 (no limit) or at least 17477 (bytes per second), or a smaller"
                + " chunk-size");
        assertThat(fs.error(syncWith("    bwlimit: 10 mbit"))).startsWith(F + ":5: sync[0].bwlimit: bad size \"10 mbit\"");
    }

    @Test
    void folderPathThatDoesNotExist() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      path: /srv/ferry/fotos
                """)).isEqualTo(F + ":6: receive.folders.photos.path: /srv/ferry/fotos does not exist;"
                + " create the directory or correct the path");
    }

    @Test
    void folderPathThatIsAFile() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos:
                      path: /etc/ferry/token
                """)).isEqualTo(F + ":6: receive.folders.photos.path: /etc/ferry/token is not a directory;"
                + " point it at a directory");
    }

    @Test
    void relativePathThatDoesNotExistSaysWhereItWasLookedFor() {
        assertThat(fs.error("""
                sync:
                  - source: photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":2: sync[0].source: /etc/ferry/photos does not exist;"
                + " create the directory or correct the path (relative paths resolve against /etc/ferry)");
    }

    @Test
    void tokenFileThatDoesNotExist() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/tokn
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":3: receive.token-file: token file /etc/ferry/tokn does not exist or is not"
                + " a regular file; create one with: head -c 32 /dev/urandom | base64 > /etc/ferry/tokn"
                + " && chmod 600 /etc/ferry/tokn");
    }

    @Test
    void tokenFileThatIsTooShort() throws IOException {
        fs.file("/etc/ferry/short", "abc\n");
        Files.setPosixFilePermissions(fs.path("/etc/ferry/short"), PosixFilePermissions.fromString("rw-------"));
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: short
                """)).isEqualTo(F + ":4: sync[0].token-file: token file /etc/ferry/short holds 3 bytes, needs at"
                + " least 16 (e.g. `head -c 32 /dev/urandom | base64 > /etc/ferry/short`)"
                + " (relative paths resolve against /etc/ferry)");
    }

    @Test
    void tokenFileThatIsADirectory() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /srv/ferry/photos
                """)).isEqualTo(F + ":4: sync[0].token-file: token file /srv/ferry/photos does not exist or is not"
                + " a regular file; point token-file at a file, not a directory");
    }

    @Test
    void tokenFileThatIsNotReadable(@TempDir Path dir) throws Exception {
        Path token = Secrets.write(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(token)).as("root reads any file").isFalse();
        Files.createDirectory(dir.resolve("photos"));
        Path file = Files.writeString(dir.resolve("ferry.yaml"), """
                receive:
                  listen: 0.0.0.0:7878
                  token-file: token
                  folders: {photos: {path: photos}}
                transport: plaintext
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(file + ":3: receive.token-file: token file "
                + token + " is not readable; make it readable by the user that runs ferry (relative paths resolve"
                + " against " + dir + ")");
    }

    @Test
    void tokenFileOthersCanRead(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectory(dir.resolve("photos"));
        Path file = Files.writeString(dir.resolve("ferry.yaml"), """
                receive:
                  listen: 0.0.0.0:7878
                  token-file: token
                  folders: {photos: {path: photos}}
                transport: plaintext
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessage(file + ":3: receive.token-file: token file "
                + token + " can be read by others (mode rw-r--r--): run chmod 600 " + token
                + " (relative paths resolve against " + dir + ")");
    }

    @Test
    void listenAddressWithoutPort() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0
                  token-file: /etc/ferry/token
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":2: receive.listen: bad address \"0.0.0.0\": missing \":PORT\";"
                + " expected HOST:PORT, e.g. 0.0.0.0:7878 or [::1]:7878");
    }

    @Test
    void listenAddressWithIpv6OutsideBrackets() {
        assertThat(fs.error("""
                receive:
                  listen: ::1:7878
                  token-file: /etc/ferry/token
                  folders: {photos: {path: /srv/ferry/photos}}
                """)).isEqualTo(F + ":2: receive.listen: bad address \"::1:7878\": put an IPv6 address in brackets,"
                + " e.g. [::1]:7878");
    }

    @Test
    void secondTargetIsNotAFerryUri() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets:
                      - ferry://nas/photos
                      - rsync://nas/photos
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":5: sync[0].targets[1]: bad ferry URI \"rsync://nas/photos\": expected"
                + " ferry://[ID@]HOST[:PORT]/FOLDER[/SUBDIR], e.g. ferry://nas.example:7878/photos");
    }

    @Test
    void sameTargetTwiceInOneEntry() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos", "ferry://nas:7878/photos/" ]
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":3: sync[0].targets[1]: ferry://nas:7878/photos is listed twice"
                + " (also sync[0].targets[0]); remove one");
    }

    @Test
    void sameSourceAndTargetInTwoEntries() {
        assertThat(fs.error("""
                sync:
                  - source: /srv/ferry/photos
                    targets: [ "ferry://nas/photos" ]
                    token-file: /etc/ferry/token
                  - source: /srv/ferry/photos/
                    targets:
                      - ferry://backup/photos
                      - ferry://nas/photos
                    token-file: /etc/ferry/token
                """)).isEqualTo(F + ":8: sync[1].targets[1]: sync[0] already pushes /srv/ferry/photos to"
                + " ferry://nas:7878/photos; remove one of them");
    }

    @Test
    void badSize() {
        assertThat(fs.error(receiveWith("  max-file-size: 4M"))).isEqualTo(F + ":7: receive.max-file-size:"
                + " bad size \"4M\": unit \"M\" is ambiguous; write MiB (powers of 1024) or MB (powers of 1000)");
    }

    @Test
    void badDuration() {
        assertThat(fs.error(receiveWith("  read-timeout: 60"))).isEqualTo(F + ":7: receive.read-timeout:"
                + " bad duration \"60\": missing unit; write e.g. 60s (units: ms, s, m, h, d)");
    }

    @Test
    void verifyIsQuickOrChecksum() throws Exception {
        assertThat(fs.error(syncWith("    verify: always"))).isEqualTo(F + ":5: sync[0].verify:"
                + " expected quick or checksum, got \"always\"");
        assertThat(fs.load(syncWith("    verify: checksum")).sync().get(0).verify()).isEqualTo(Verify.CHECKSUM);
        assertThat(fs.load(syncWith("    delete: true")).sync().get(0).verify()).isEqualTo(Verify.QUICK);
    }

    @Test
    void badDurability() {
        assertThat(fs.error(receiveWith("  durability: always"))).isEqualTo(F + ":7: receive.durability:"
                + " expected fsync or none, got \"always\"");
    }

    @Test
    void numbersOutOfRange() {
        assertThat(fs.error(receiveWith("  max-connections: 0"))).isEqualTo(F + ":7: receive.max-connections:"
                + " 0 is out of range; expected a whole number from 1 to 10000");
        assertThat(fs.error(receiveWith("  max-connections: 99999999999999999999"))).isEqualTo(F + ":7:"
                + " receive.max-connections: 99999999999999999999 is out of range; expected a whole number from 1 to 10000");
        assertThat(fs.error(receiveWith("  max-connections: 2.5"))).isEqualTo(F + ":7: receive.max-connections:"
                + " expected a whole number from 1 to 10000, got \"2.5\"");
        assertThat(fs.error(receiveWith("  read-timeout: 2d"))).isEqualTo(F + ":7: receive.read-timeout:"
                + " 2d is out of range; use a duration from 1ms to 1d, e.g. 60s");
        assertThat(fs.error(receiveWith("  read-timeout: 0s"))).isEqualTo(F + ":7: receive.read-timeout:"
                + " 0s is out of range; use a duration from 1ms to 1d, e.g. 60s");
        assertThat(fs.error(receiveWith("  max-file-size: 0"))).isEqualTo(F + ":7: receive.max-file-size:"
                + " 0 is out of range; use a size of at least 1 byte, e.g. 1TiB");
        assertThat(fs.error(syncWith("    chunk-size: 16MiB"))).isEqualTo(F + ":5: sync[0].chunk-size:"
                + " 16MiB is out of range; use a size from 64KiB to 8MiB, e.g. 1MiB");
        assertThat(fs.error(syncWith("    chunk-size: 4KiB"))).isEqualTo(F + ":5: sync[0].chunk-size:"
                + " 4KiB is out of range; use a size from 64KiB to 8MiB, e.g. 1MiB");
    }

    @Test
    void debounceAndRescanIntervalLoadAndAreChecked() throws Exception {
        SyncConfig sc = fs.load(syncWith("    debounce: 20ms\n    rescan-interval: 2m")).sync().getFirst();
        assertThat(sc.debounce()).isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(sc.rescanInterval()).isEqualTo(java.time.Duration.ofMinutes(2));
        SyncConfig defaults = fs.load(syncWith("    delete: true")).sync().getFirst();
        assertThat(defaults.debounce()).isEqualTo(SyncConfig.DEFAULT_DEBOUNCE);
        assertThat(defaults.rescanInterval()).isEqualTo(SyncConfig.DEFAULT_RESCAN_INTERVAL);
        assertThat(fs.error(syncWith("    debounce: 1h"))).isEqualTo(F + ":5: sync[0].debounce:"
                + " 1h is too long; use 0ms to 10m (default 2ms: a change is out in about 10 ms)");
        assertThat(fs.error(syncWith("    rescan-interval: 10ms"))).isEqualTo(F + ":5: sync[0].rescan-interval:"
                + " 10ms is too short; use 1s or more (default 10m)");
        assertThat(fs.error(syncWith("    debounce: soon"))).startsWith(F + ":5: sync[0].debounce: ");
        assertThat(fs.load(syncWith("    connections: 4")).sync().getFirst().connections()).isEqualTo(4);
        assertThat(defaults.connections()).isEqualTo(SyncConfig.DEFAULT_CONNECTIONS);
        assertThat(fs.error(syncWith("    connections: 0"))).startsWith(F + ":5: sync[0].connections: ");
        assertThat(fs.load(syncWith("    chunk-attempts: 9")).sync().getFirst().chunkAttempts()).isEqualTo(9);
        assertThat(defaults.chunkAttempts()).isEqualTo(SyncConfig.DEFAULT_CHUNK_ATTEMPTS);
        assertThat(fs.error(syncWith("    chunk-attempts: 0"))).startsWith(F + ":5: sync[0].chunk-attempts: ");
        assertThat(fs.load(syncWith("    journal-commit: 20ms")).sync().getFirst().journalCommit())
                .isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(defaults.journalCommit()).isEqualTo(SyncConfig.DEFAULT_JOURNAL_COMMIT);
        assertThat(fs.error(syncWith("    journal-commit: 1m"))).isEqualTo(F + ":5: sync[0].journal-commit:"
                + " 1m is out of range; use 1ms to 10s (default 5ms: how long progress may wait to be forced to disk)");
    }

    @Test
    void readTimeoutAndKeepAliveLoadAndAreChecked() throws Exception {
        SyncConfig sc = fs.load(syncWith("    read-timeout: 30s\n    keep-alive: 2s")).sync().getFirst();
        assertThat(sc.readTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(sc.keepAlive()).isEqualTo(java.time.Duration.ofSeconds(2));
        SyncConfig defaults = fs.load(syncWith("    delete: true")).sync().getFirst();
        assertThat(defaults.readTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(defaults.keepAlive()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(fs.error(syncWith("    read-timeout: 500ms"))).isEqualTo(F + ":5: sync[0].read-timeout:"
                + " 500ms is out of range; use 1s to 1d (default 2m: how long a target may stay silent)");
        assertThat(fs.error(syncWith("    read-timeout: 3s\n    keep-alive: 3s"))).isEqualTo(F + ":6: sync[0].keep-alive:"
                + " 3s is out of range; use 100ms up to less than read-timeout (3s); default 5s");
        assertThat(fs.error(syncWith("    keep-alive: 10ms"))).isEqualTo(F + ":5: sync[0].keep-alive:"
                + " 10ms is out of range; use 100ms up to less than read-timeout (2m); default 5s");
    }

    @Test
    void shutdownTimeoutLoadsAndIsChecked() throws Exception {
        assertThat(fs.load("shutdown-timeout: 30s\n" + syncWith("    delete: true")).shutdownTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(fs.load(syncWith("    delete: true")).shutdownTimeout()).isEqualTo(FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        assertThat(fs.error("shutdown-timeout: 500ms\n" + syncWith("    delete: true"))).isEqualTo(F + ":1: shutdown-timeout:"
                + " 500ms is out of range; use 1s to 10m (default 10s: how long a stop may take before ferry exits anyway)");
        assertThat(fs.error(syncWith("    delete: true") + "shutdown-timeout: 1h\n")).isEqualTo(F + ":6: shutdown-timeout:"
                + " 1h is out of range; use 1s to 10m (default 10s: how long a stop may take before ferry exits anyway)");
        assertThat(fs.error("shutdown-timeout: 10\n" + syncWith("    delete: true"))).isEqualTo(F + ":1: shutdown-timeout:"
                + " bad duration \"10\": missing unit; write e.g. 10s (units: ms, s, m, h, d)");
    }

    @Test
    void metricsAddressLoadsIsOffByDefaultAndIsChecked() throws Exception {
        assertThat(fs.load("metrics: 127.0.0.1:9478\n" + syncWith("    delete: true")).metrics())
                .contains(new HostPort("127.0.0.1", 9478));
        assertThat(fs.load("metrics: \"[::1]:0\"\n" + syncWith("    delete: true")).metrics())
                .contains(new HostPort("::1", 0));
        assertThat(fs.load(syncWith("    delete: true")).metrics()).isEmpty();
        assertThat(fs.error(syncWith("    delete: true") + "metrics: 127.0.0.1\n")).isEqualTo(F + ":6: metrics:"
                + " bad metrics address \"127.0.0.1\": missing \":PORT\"; expected HOST:PORT, e.g. 127.0.0.1:9478"
                + " (this host only)");
        assertThat(fs.error("metrics: localhost:99999\n" + syncWith("    delete: true"))).isEqualTo(F + ":1: metrics:"
                + " bad metrics address \"localhost:99999\": port \"99999\" is not a number from 0 to 65535");
        assertThat(fs.error("metrics: [127.0.0.1:9478]\n" + syncWith("    delete: true"))).isEqualTo(F + ":1: metrics:"
                + " expected a single value, got a list");
    }

    @Test
    void logFormatLoadsAndIsChecked() throws Exception {
        assertThat(fs.load("log-format: json\n" + syncWith("    delete: true")).logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(fs.load(syncWith("    delete: true")).logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(fs.error("log-format: yaml\n" + syncWith("    delete: true"))).isEqualTo(F + ":1: log-format:"
                + " expected text or json, got \"yaml\"");
    }

    @Test
    void trashRetentionLoads() throws Exception {
        assertThat(fs.load(receiveWith("  trash: 7d")).receive().orElseThrow().trash()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(fs.load(receiveWith("  durability: fsync")).receive().orElseThrow().trash()).isEqualTo(java.time.Duration.ZERO);
    }

    @Test
    void partialMaxAgeLoadsAndIsChecked() throws Exception {
        assertThat(fs.load(receiveWith("  partial-max-age: 2d")).receive().orElseThrow().partialMaxAge())
                .isEqualTo(java.time.Duration.ofDays(2));
        assertThat(fs.load(receiveWith("  durability: fsync")).receive().orElseThrow().partialMaxAge())
                .isEqualTo(ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE);
        assertThat(fs.error(receiveWith("  partial-max-age: 0s"))).endsWith("receive.partial-max-age:"
                + " 0s is out of range; use e.g. 7d (how long an interrupted transfer is kept for a resume)");
    }

    @Test
    void badIgnorePatterns() {
        assertThat(fs.error(syncWith("    ignore: \"*.tmp\""))).isEqualTo(F + ":5: sync[0].ignore: expected a list"
                + " of patterns, e.g. [ \"*.tmp\", \".cache/\" ], got \"*.tmp\"");
        assertThat(fs.error(syncWith("    ignore: [ \"*.tmp\", \"\" ]"))).isEqualTo(F + ":5: sync[0].ignore[1]:"
                + " has no value; give it one or remove the line");
    }

    @Test
    void invalidFolderName() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    my photos:
                      path: /srv/ferry/photos
                """)).isEqualTo(F + ":5: receive.folders.my photos: folder name \"my photos\" is invalid:"
                + " use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.'");
    }

    @Test
    void twoFoldersWithTheSameDirectory() {
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos: {path: /srv/ferry/photos}
                    pictures: {path: /srv/ferry/photos/}
                """)).isEqualTo(F + ":6: receive.folders.pictures.path: /srv/ferry/photos is also the path of folder"
                + " photos (/srv/ferry/photos); give each folder a directory of its own, not nested in another");
    }

    @Test
    void folderNestedInAnotherInEitherOrder() {
        fs.directory("/srv/ferry/photos/2024");
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos: {path: /srv/ferry/photos}
                    year: {path: /srv/ferry/photos/2024}
                """)).isEqualTo(F + ":6: receive.folders.year.path: /srv/ferry/photos/2024 is inside folder"
                + " photos (/srv/ferry/photos); give each folder a directory of its own, not nested in another");
        assertThat(fs.error("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    year: {path: /srv/ferry/photos/2024}
                    all: {path: /srv}
                """)).isEqualTo(F + ":6: receive.folders.all.path: /srv contains folder"
                + " year (/srv/ferry/photos/2024); give each folder a directory of its own, not nested in another");
    }

    @Test
    void siblingFoldersWithACommonPrefixAreNotNested() throws Exception {
        fs.directory("/srv/ferry/photos-old");
        assertThat(fs.load("""
                receive:
                  listen: 0.0.0.0:7878
                  token-file: /etc/ferry/token
                  folders:
                    photos: {path: /srv/ferry/photos}
                    old: {path: /srv/ferry/photos-old}
                """).receive().orElseThrow().folders()).hasSize(2);
    }
}
