package dev.ferry.packaging;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.testing.Exec;
import dev.ferry.testing.SystemdTools;
import dev.ferry.testing.Trees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package for real, on this host: {@code packaging/build-deb} makes the .deb from the shaded jar this
 * Maven run built (a failsafe test, so it runs after {@code package}), {@code dpkg -i} installs it, the installed
 * {@code /usr/bin/ferry} prints the pom's version, checks the example config and pushes a tree from one process to
 * another, with a token and over TLS with identities from its own {@code ferry keygen} (both ends the installed
 * binary on its own runtime, each with the AOT cache recorded at build time), the
 * units pass {@code systemd-analyze verify} where they are installed, and {@code dpkg --purge} leaves nothing.
 *
 * Before that, a real systemd in a container (as {@code dev.ferry.daemon.UnitInContainerTest}) runs the unit
 * as the package installed it.
 *
 * <p>Needs root and dpkg (skipped, saying so, without them), systemd-nspawn ({@code .ci/run} installs it), and
 * no ferry package installed already (it would be replaced and purged: skipped, saying so). Whatever fails, the
 * package is purged at the end, and the user and group {@code ferry} are deleted again if this test's install
 * made them.
 */
class DebianPackageIT {
    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final Duration RUN = Duration.ofSeconds(120);
    private static final Duration RECEIVER_START = Duration.ofSeconds(30);
    private static final Pattern RECEIVING_ON =
            Pattern.compile("^ferry: receiving on \\S*:(\\d+) into", Pattern.MULTILINE);
    private static final String FERRY = "/usr/bin/ferry";
    /** The JVM fails instead of running without the package's AOT cache (ferry.aot, ferry-push.aot for a push). */
    private static final String AOT_REQUIRED = "FERRY_JAVA_OPTS=-XX:AOTMode=on";

    @TempDir
    Path tmp;

    @Test
    void packageBuildsInstallsRunsAndPurgesCleanly() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "DebianPackageIT installs a package (dpkg -i): needs root; skipped as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")) && Files.isExecutable(Path.of("/usr/bin/dpkg")),
                "DebianPackageIT needs dpkg and dpkg-deb (Debian's dpkg package); skipped: not installed");
        assumeFalse(installed(), "a ferry package is installed on this host already: DebianPackageIT would replace"
                + " and purge it; skipped (dpkg --purge ferry, then run it again)");
        boolean userExisted = run("getent", "passwd", "ferry").ok();
        boolean groupExisted = run("getent", "group", "ferry").ok();
        Path deb = build();
        try {
            assertUnitFromThePackageRunsUnderSystemd(deb);   // first: the container's / is this host's, without ferry
            run(RUN, "dpkg", "-i", deb.toString()).orThrow();

            assertVersionAndConfig();
            assertInstalledSetUp();
            assertPushBetweenInstalledProcesses();
            assertTlsPushBetweenInstalledProcesses();
            assertDaemonHeapFlags();

            run(RUN, "dpkg", "--purge", "ferry").orThrow();
            assertThat(installed()).as("ferry still installed after dpkg --purge").isFalse();
            for (String gone : List.of(FERRY, "/usr/lib/ferry", "/usr/lib/systemd/system/ferry.service",
                    "/usr/lib/systemd/system/ferry@.service", "/etc/ferry", "/var/lib/ferry")) {
                assertThat(Path.of(gone)).as("after dpkg --purge").doesNotExist();
            }
        } finally {
            cleanUp(userExisted, groupExisted);
        }
    }

    /** packaging/build-deb on the jar of this build; returns the .deb it made. */
    private Path build() throws IOException {
        Path jar = Path.of(System.getProperty("ferry.jar", "target/ferry.jar")).toAbsolutePath();
        assertThat(jar).as("the shaded jar of this build (failsafe runs after package)").isRegularFile();
        // zstd: the same contents, built ~6x faster than with the default xz (see build-deb)
        Exec.Result r = run(BUILD, repoRoot().resolve("packaging/build-deb").toString(), "--jar", jar.toString(),
                "--out", tmp.resolve("out").toString(), "--compress", "zstd");
        assertThat(r.exitCode()).as("build-deb:%n%s", r.output()).isZero();
        String version = System.getProperty("ferry.pom.version").toLowerCase(java.util.Locale.ROOT).replace('-', '~');
        Path deb = tmp.resolve("out/ferry_" + version + "_amd64.deb");
        assertThat(r.output().lines().toList().getLast()).as(r.output()).isEqualTo(deb.toString());
        return deb;
    }

    private void assertVersionAndConfig() throws IOException {
        Exec.Result version = run(RUN, "/usr/bin/env", AOT_REQUIRED, FERRY, "--version").orThrow();
        assertThat(version.output())
                .startsWith("ferry " + System.getProperty("ferry.pom.version") + " (protocol 1, Java 25");

        Exec.Result check = run(RUN, FERRY, "check-config", "/etc/ferry/ferry.yaml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).startsWith("/etc/ferry/ferry.yaml: ok")
                .contains("receive: listen 127.0.0.1:7878, folders [inbox]");

        Exec.Result modules = run(RUN, "/usr/lib/ferry/runtime/bin/java", "--list-modules").orThrow();
        assertThat(modules.output().lines().map(l -> l.replaceAll("@.*", "")))
                .as("the package's own runtime").contains("java.base", "jdk.unsupported")
                .doesNotContain("java.desktop");
    }

    private void assertInstalledSetUp() throws IOException {
        assertThat(run(RUN, "dpkg-query", "--showformat=${Conffiles}", "--show", "ferry").orThrow().output())
                .contains("/etc/ferry/ferry.yaml ");
        assertThat(run(RUN, "getent", "passwd", "ferry").orThrow().output().strip())
                .matches("ferry:x:\\d+:\\d+:[^:]*:/var/lib/ferry:/usr/sbin/nologin");
        PosixFileAttributes token = Files.readAttributes(Path.of("/etc/ferry/token"), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(token.permissions())).isEqualTo("rw-------");
        assertThat(token.owner().getName() + ":" + token.group().getName()).isEqualTo("ferry:ferry");
        assertThat(Files.getOwner(Path.of("/var/lib/ferry")).getName()).isEqualTo("ferry");

        // with the man page installed, verify also checks Documentation=man:ferry(1)
        Exec.Result verify = run(RUN, SystemdTools.require("systemd-analyze").toString(), "verify",
                "/usr/lib/systemd/system/ferry.service", "/usr/lib/systemd/system/ferry@.service");
        assertThat(verify.output().lines().filter(l -> l.contains("ferry")))
                .as("systemd-analyze verify on the installed units:%n%s", verify.output()).isEmpty();
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    /**
     * {@code systemd/try-in-container} with the package: a real systemd (PID 1 of a systemd-nspawn container on an
     * overlay of this host's root) after {@code dpkg -i} in the container runs the installed ferry.service, with the
     * package's user, runtime and unit file, and the probe's config (a receiver and a pair into it).
     */
    private static void assertUnitFromThePackageRunsUnderSystemd(Path deb) throws IOException {
        SystemdTools.require("systemd-nspawn");
        Exec.Result r = run(Duration.ofSeconds(180), "/usr/bin/env", "FERRY_DEB=" + deb,
                repoRoot().resolve("systemd/try-in-container").toString());

        assertThat(r.exitCode()).as("try-in-container:%n%s", r.output()).isZero();
        assertThat(r.output().lines().toList()).as(r.output())
                .contains("Type=notify", "ActiveState=active",
                        "SubState=running", "CapEff:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2",
                        "one.txt", "two.txt", "== after the reload: same MainPID=yes", "Result=success",
                        "ExecMainStatus=0")
                // then "; 1 scanning" or "; 1 in sync": the STATUS= line follows the targets
                .anyMatch(l -> l.startsWith("StatusText=1 pair, receiver on 127.0.0.1:7878; 1 "))
                .anyMatch(l -> l.matches("== id ferry: uid=\\d+\\(ferry\\) gid=\\d+\\(ferry\\).*"))
                .anyMatch(l -> l.startsWith("== systemctl start ferry: rc=0 "))
                .anyMatch(l -> l.contains("Started ferry.service"));
    }

    /** {@code ferry receive} and {@code ferry push}, both {@code /usr/bin/ferry}, on 127.0.0.1, with a token. */
    private void assertPushBetweenInstalledProcesses() throws IOException, InterruptedException {
        Path source = sampleTree("source");
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path token = tmp.resolve("token");
        Secrets.write(token, "debian-package-test-token-0123456789\n");

        Exec.Result push = withReceiver(List.of("--folder", "box=" + target, "--token-file", token.toString()),
                port -> List.of("ferry://127.0.0.1:" + port + "/box", "--token-file", token.toString()), source);

        assertThat(push.output()).contains("ferry: pushed 2 files (0 unchanged), 0 symlinks (0 unchanged), 2 directories, 0 deleted, 0 excluded");
        Trees.assertIdentical(source, target);
    }

    /**
     * The same over TLS with pinned identities made by the installed {@code ferry keygen}, and the launcher's flags
     * for a TLS push: C2 kept (AES-GCM's intrinsics are C2's; with C1 alone a TLS push ran at ~9 MB/s).
     */
    private void assertTlsPushBetweenInstalledProcesses() throws IOException, InterruptedException {
        Path source = sampleTree("tls-source");
        Path target = Files.createDirectories(tmp.resolve("tls-target"));
        String receiverId = lastLine(run(RUN, FERRY, "keygen", tmp.resolve("id-receiver").toString()).orThrow());
        String senderId = lastLine(run(RUN, FERRY, "keygen", tmp.resolve("id-sender").toString()).orThrow());
        assertThat(run(RUN, FERRY, "id", tmp.resolve("id-sender").toString()).orThrow().output().strip())
                .isEqualTo(senderId);

        Exec.Result push = withReceiver(List.of("--identity", tmp.resolve("id-receiver").toString(),
                        "--folder", "box=" + target, "--allow", "box=" + senderId),
                port -> List.of("ferry://" + receiverId + "@127.0.0.1:" + port + "/box",
                        "--identity", tmp.resolve("id-sender").toString()), source);

        assertThat(push.output()).contains("ferry: pushed 2 files (0 unchanged), 0 symlinks (0 unchanged), 2 directories, 0 deleted, 0 excluded");
        Trees.assertIdentical(source, target);
        String launcher = Files.readString(Path.of(FERRY));
        String tlsBranch = launcher.lines().filter(l -> l.contains("*\" --identity\"*)")).findFirst().orElseThrow();
        assertThat(tlsBranch).as("/usr/bin/ferry's flags for a TLS push").contains("-XX:CompileThresholdScaling=")
                .doesNotContain("TieredStopAtLevel");
    }

    /** The installed launcher gives the daemon bin/lib/jdk.sh's FERRY_DAEMON_FLAGS (its heap), written in by build-deb. */
    private void assertDaemonHeapFlags() throws IOException {
        String launcher = Files.readString(Path.of(FERRY));
        assertThat(launcher).doesNotContain("@DAEMON_FLAGS@");
        List<String> lines = launcher.lines().toList();
        int branch = lines.indexOf("if [ \"${1:-}\" = daemon ]; then");
        assertThat(branch).as("the launcher's daemon branch").isNotNegative();
        assertThat(lines.get(branch + 2)).isEqualTo("  extra=\"-XX:NewRatio=1 -XX:-ShrinkHeapInSteps -XX:MaxHeapFreeRatio=10"
                + " -XX:TrimNativeHeapInterval=2000\"");
    }

    private Path sampleTree(String name) throws IOException {
        Path source = Files.createDirectories(tmp.resolve(name));
        Files.writeString(source.resolve("hello.txt"), "hello from the package\n");
        Trees.randomFile(Files.createDirectories(source.resolve("sub/deeper")).resolve("data.bin"), 3_000_000, 13);
        return source;
    }

    private static String lastLine(Exec.Result r) {
        return r.output().strip().lines().toList().getLast();
    }

    /** The push's target and credentials, given the receiver's port. */
    private interface PushArgs {
        List<String> forPort(int port);
    }

    /**
     * Starts the installed {@code ferry receive} on 127.0.0.1 with {@code receiveArgs}, pushes {@code source/} into
     * it with the installed {@code ferry push} (both with the package's AOT cache required), checks the push
     * succeeded, and stops the receiver.
     */
    private Exec.Result withReceiver(List<String> receiveArgs, PushArgs pushArgs, Path source)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "receive", ".log");
        List<String> command = new ArrayList<>(List.of(FERRY, "receive", "--listen", "127.0.0.1:0",
                "--durability", "none"));
        command.addAll(receiveArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("STATE_DIRECTORY");
        pb.environment().put("FERRY_JAVA_OPTS", "-XX:AOTMode=on");
        Process receiver = pb.start();
        try {
            int port = awaitPort(receiver, log);
            // /usr/bin/ferry execs the JVM: the process we started is the package's java, not a shell around it
            assertThat(receiver.info().command()).hasValue("/usr/lib/ferry/runtime/bin/java");

            List<String> push = new ArrayList<>(List.of("/usr/bin/env", AOT_REQUIRED, FERRY, "push", source + "/"));
            push.addAll(pushArgs.forPort(port));
            push.addAll(List.of("--state-dir", Files.createTempDirectory(tmp, "push-state").toString()));
            Exec.Result result = run(RUN, push.toArray(String[]::new));

            assertThat(result.exitCode()).as("push:%n%s%nreceiver:%n%s", result.output(), read(log)).isZero();
            return result;
        } finally {
            receiver.destroy();
            if (!receiver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                receiver.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    private static int awaitPort(Process receiver, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + RECEIVER_START.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = RECEIVING_ON.matcher(read(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!receiver.isAlive()) {
                throw new AssertionError("ferry receive exited with " + receiver.exitValue() + ":\n" + read(log));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("ferry receive did not say its port within " + RECEIVER_START + ":\n" + read(log));
    }

    /** Purges the package if it is still there, and removes the user and group if the install made them. */
    private static void cleanUp(boolean userExisted, boolean groupExisted) throws IOException {
        List<String> problems = new ArrayList<>();
        if (installed()) {
            Exec.Result r = run(RUN, "dpkg", "--purge", "ferry");
            if (!r.ok()) {
                problems.add(r.output());
            }
        }
        if (!userExisted && run("getent", "passwd", "ferry").ok()) {
            Exec.Result r = run(RUN, "userdel", "ferry");
            if (!r.ok()) {
                problems.add(r.output());
            }
        }
        if (!groupExisted && run("getent", "group", "ferry").ok()) {
            Exec.Result r = run(RUN, "groupdel", "ferry");
            if (!r.ok()) {
                problems.add(r.output());
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("cleaning up after DebianPackageIT: " + String.join("\n", problems));
        }
    }

    private static boolean installed() throws IOException {
        Exec.Result r = run("dpkg-query", "--showformat=${db:Status-Status}", "--show", "ferry");
        // any state but not-installed: installed, config-files (removed, not purged), half-installed, ...
        return r.ok() && !r.output().strip().equals("not-installed");
    }

    private static Exec.Result run(String... command) throws IOException {
        return run(RUN, command);
    }

    private static Exec.Result run(Duration timeout, String... command) throws IOException {
        return Exec.run(timeout, List.of(command));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root, found by walking up from the working directory (daemon/ under Maven). */
    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("packaging/build-deb"))) {
                return dir;
            }
        }
        throw new AssertionError("no packaging/build-deb above " + Path.of("").toAbsolutePath());
    }
}
