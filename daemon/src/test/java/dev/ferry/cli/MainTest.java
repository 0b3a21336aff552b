package dev.ferry.cli;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.hash.FileHasher;
import dev.ferry.push.DigestCache;
import dev.ferry.push.DigestCacheDir;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.CapturedStdio;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages: 0 success, 1 runtime failure, 2 usage or config error. */
class MainTest {
    @TempDir
    Path tmp;
    Path tokenFile;
    private CapturedStdio stdio;

    @BeforeEach
    void capture() throws IOException {
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, "cli-test-token-0123456789\n");
        stdio = CapturedStdio.start();
    }

    @AfterEach
    void restore() {
        stdio.close();
    }

    String out() {
        return stdio.out();
    }

    /** What ferry itself printed on stderr (log lines of the in-process receiver left out). */
    String err() {
        return stdio.ferryErr();
    }

    @Test
    void versionIsThePomsVersion() {
        String pomVersion = System.getProperty("ferry.pom.version");
        assertThat(pomVersion).as("ferry.pom.version, set by daemon/pom.xml's surefire configuration").isNotBlank();

        assertThat(Main.run("--version")).isZero();

        assertThat(out()).isEqualTo("ferry " + pomVersion + " (protocol 1, Java " + Runtime.version() + ")"
                + System.lineSeparator());
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(Main.run(new String[0])).isEqualTo(2);
        assertThat(stdio.allErr()).contains("missing command: daemon, receive, push, status, check-config, keygen, id, demo");
    }

    @Test
    void unknownOptionIsAUsageErrorNamingIt() {
        assertThat(Main.run("push", "a", "ferry://h/f", "--tokn-file", "x")).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: unknown option '--tokn-file' for push (see ferry push --help)\n");
    }

    @Test
    void optionWithoutItsValueIsAUsageError() {
        assertThat(Main.run("push", "a", "ferry://h/f", "--token-file")).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: option --token-file needs a value (see ferry push --help)\n");
    }

    @Test
    void wrongNumberOfArgumentsNamesWhatIsNeeded() {
        assertThat(Main.run("push", "a", "--token-file=" + tokenFile)).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: push needs SRC ferry://[ID@]HOST:PORT/FOLDER[/SUBDIR] (got 1 argument; see ferry push --help)\n");
    }

    @Test
    void helpOfAVerbGoesToStdoutWithExitZero() {
        assertThat(Main.run("push", "--help")).isZero();
        assertThat(out()).startsWith("Usage: ferry push SRC ferry://ID@HOST:PORT/FOLDER[/SUBDIR] --identity DIR [OPTIONS]\n"
                + "       ferry push SRC ferry://HOST:PORT/FOLDER[/SUBDIR] --token-file FILE");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(Main.run("pull")).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: unknown command 'pull'\n");
    }

    @Test
    void badTargetUriIsAUsageError() {
        assertThat(Main.run("push", tmp.toString(), "http://host/x", "--token-file", tokenFile.toString())).isEqualTo(2);
        assertThat(err()).startsWith("ferry: ").contains("http://host/x");
    }

    @Test
    void missingTokenFileIsAUsageError() {
        Path missing = tmp.resolve("nope");
        assertThat(Main.run("push", tmp.toString(), "ferry://127.0.0.1:1/f", "--token-file", missing.toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("ferry: token file " + missing + " does not exist or is not a regular file\n");
    }

    @Test
    void unreachableReceiverIsARuntimeFailure() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(tmp.resolve("f.txt"), "x");
        assertThat(Main.run("push", tmp.resolve("f.txt").toString(), "ferry://127.0.0.1:" + port + "/f",
                "--token-file", tokenFile.toString())).isEqualTo(1);
        assertThat(err()).isEqualTo("ferry: connection to 127.0.0.1:" + port + " failed: Connection refused\n");
    }

    @Test
    void pushExitsZeroAndSummarizesWhenEverythingArrives() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Trees.randomFile(src.resolve("a/b.bin"), 2 * 1024 * 1024, 1);
        try (Receiver r = receiver(dst)) {
            int code = Main.run("push", src + "/", "ferry://127.0.0.1:" + r.address().getPort() + "/f/sub/",
                    "--token-file", tokenFile.toString());

            assertThat(code).as(err()).isZero();
            assertThat(out()).startsWith("ferry: pushed 1 file (0 unchanged), 0 symlinks (0 unchanged), 2 directories, 0 deleted, 0 excluded: 2.0 MiB in 2 chunks (0 re-sent) in ");
            Trees.assertIdentical(src, dst.resolve("sub"));
        }
    }

    @Test
    void pushExitsOneWithALinePerFailedFile() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(src.resolve("ok.txt"), "fine");
        Files.writeString(src.resolve("bad\u0001name"), "a name the receiver refuses");
        try (Receiver r = receiver(dst)) {
            int code = Main.run("push", src + "/", "ferry://127.0.0.1:" + r.address().getPort() + "/f",
                    "--token-file", tokenFile.toString());

            assertThat(code).isEqualTo(1);
            assertThat(err()).isEqualTo("ferry: failed bad\u0001name: refused path: path contains a control character:"
                    + " 'bad\\x01name' (BAD_PATH)\n");
            assertThat(Files.readString(dst.resolve("ok.txt"))).isEqualTo("fine");
        }
    }

    @Test
    void pushTakesBigFilesHashListsFromTheStateDirGivenAndNoneWithNoDigestCache() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Path big = Trees.randomFile(src.resolve("big.bin"), 9 * 1024 * 1024, 2);
        Path state = tmp.resolve("state");
        // a list of other bytes under the file's current stamp: used, it makes the receiver refuse the chunks
        Path other = Trees.randomFile(tmp.resolve("other.bin"), 9 * 1024 * 1024, 3);
        DigestCacheDir cache = new DigestCacheDir(state.resolve("push-digests"), DigestCacheDir.DEFAULT_MAX_ENTRIES);
        cache.keep(big, DigestCache.stamp(big), new FileHasher(HashAlgorithm.XXH3_128, 1 << 20).hash(other));
        try (Receiver r = receiver(dst)) {
            String uri = "ferry://127.0.0.1:" + r.address().getPort() + "/f";

            int ignored = Main.run("push", src + "/", uri, "--token-file", tokenFile.toString(), "--state-dir", state.toString(),
                    "--no-digest-cache");
            assertThat(ignored).as(err()).isZero();
            assertThat(cache.entryOf(big)).as("--no-digest-cache neither reads nor removes the list").exists();
            Files.delete(dst.resolve("big.bin"));

            int used = Main.run("push", src + "/", uri, "--token-file", tokenFile.toString(), "--state-dir", state.toString());
            assertThat(used).isEqualTo(1);
            assertThat(err()).matches("ferry: failed big\\.bin: source changed while it was pushed \\(chunk \\d+ no longer matches its hash\\)\n");
            assertThat(cache.entryOf(big)).as("the list that did not match is dropped").doesNotExist();
            assertThat(dst.resolve("big.bin")).doesNotExist();
        }
    }

    @Test
    void checkConfigRejectsABadFileWithExitTwo() throws IOException {
        Path cfg = tmp.resolve("bad.yaml");
        Files.writeString(cfg, "recieve:\n  listen: 0.0.0.0:7878\n");
        assertThat(Main.run("check-config", cfg.toString())).isEqualTo(2);
        assertThat(err()).startsWith("ferry: " + cfg + ":1: recieve");
    }

    @Test
    void checkConfigShowsTheMetricsEndpoint() throws IOException {
        Path cfg = tmp.resolve("metrics.yaml");
        Files.createDirectories(tmp.resolve("src"));
        Files.writeString(cfg, "transport: plaintext\nmetrics: 127.0.0.1:9478\nsync:\n  - source: " + tmp.resolve("src")
                + "\n    targets: [ \"ferry://nas/photos\" ]\n    token-file: " + tokenFile + "\n");

        assertThat(Main.run("check-config", cfg.toString())).as(err()).isZero();
        assertThat(out()).endsWith("\n  metrics: http://127.0.0.1:9478/metrics\n");
    }

    @Test
    void receiveWithoutFoldersIsAUsageError() {
        assertThat(Main.run("receive", "--listen", "127.0.0.1:0", "--token-file", tokenFile.toString())).isEqualTo(2);
        assertThat(err()).contains("receive needs --listen HOST:PORT, --folder NAME=DIR and --identity DIR or --token-file FILE");
    }

    private Receiver receiver(Path dst) throws IOException {
        return Receiver.start(Loopback.receiverSettings(Token.read(tokenFile), Map.of("f", dst)));
    }
}
