package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags the launchers give the daemon (bin/lib/jdk.sh's {@code ferry_jvm_flags}, which the dev launcher
 * and the Debian package's /usr/bin/ferry both use): its heap is sized for its start and given back after it, and
 * only the daemon's.
 */
class LauncherFlagsTest {
    private static final Path ROOT = ManPageAndCompletionTest.repoRoot();
    private static final List<String> DAEMON_ONLY = List.of("-XX:NewRatio=1", "-XX:-ShrinkHeapInSteps",
            "-XX:MaxHeapFreeRatio=10", "-XX:TrimNativeHeapInterval=2000");

    private static List<String> launchFlags(String... args) throws IOException {
        String script = "source " + ROOT.resolve("bin/lib/jdk.sh") + "\nFERRY_AOT_MODE=off ferry_jvm_flags /none.jar"
                + " /none.aot " + String.join(" ", args) + "\nprintf '%s\\n' \"${FERRY_LAUNCH_FLAGS[@]}\"\n";
        Exec.Result r = Exec.run(Duration.ofSeconds(30), List.of("/bin/bash", "--norc", "-c", script)).orThrow();
        return r.output().lines().toList();
    }

    @Test
    void theDaemonGetsItsHeapFlagsAfterTheCommonOnesAndNoOtherCommandDoes() throws IOException {
        List<String> daemon = launchFlags("daemon", "--config", "/etc/ferry/ferry.yaml");
        List<String> receive = launchFlags("receive", "--listen", "127.0.0.1:7878");

        assertThat(daemon).containsSubsequence(List.of("-XX:MaxHeapFreeRatio=30", "-XX:MaxHeapFreeRatio=10"));
        assertThat(daemon).endsWith(DAEMON_ONLY.toArray(String[]::new));
        assertThat(receive).doesNotContainAnyElementsOf(DAEMON_ONLY).contains("-XX:+UseSerialGC");
    }

    @Test
    void theJvmAcceptsTheDaemonsFlags() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(launchFlags("daemon"));
        command.add("-version");
        Exec.Result r = Exec.run(Duration.ofSeconds(30), command);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("warning");
    }

    @Test
    void theDebianLauncherGivesTheDaemonTheSameFlags() throws IOException {
        String launcher = Files.readString(ROOT.resolve("packaging/deb/ferry.sh"));
        String build = Files.readString(ROOT.resolve("packaging/build-deb"));
        assertThat(launcher).contains("if [ \"${1:-}\" = daemon ]; then\n  # the daemon's heap")
                .contains("extra=\"@DAEMON_FLAGS@\"");
        assertThat(build).contains("-e \"s|@DAEMON_FLAGS@|${FERRY_DAEMON_FLAGS[*]}|\"");
    }
}
