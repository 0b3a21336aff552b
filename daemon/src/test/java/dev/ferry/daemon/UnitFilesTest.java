package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.push.PushSettings;
import dev.ferry.testing.Exec;
import dev.ferry.testing.SystemdTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units in {@code systemd/}, checked by the real {@code systemd-analyze} (Debian's systemd package; required,
 * see {@link SystemdTools}). No service manager runs: {@code verify} and {@code security --offline} only load unit
 * files.
 *
 * <p>How: {@code systemd-analyze verify} refuses a unit whose {@code ExecStart=} (and {@code ExecReload=}) binary
 * does not exist, and {@code /usr/bin/ferry} exists only where the package is installed. So each test builds a
 * file-system root in a temp folder and runs with {@code --root=}: the units byte for byte in its
 * {@code etc/systemd/system/}, this host's own units ({@code /usr/lib/systemd/system}, copied: the targets ours
 * are ordered after must load too) in its {@code usr/lib/systemd/system/}, and two stand-in executables at
 * {@code usr/bin/ferry} and {@code bin/kill} (verify checks that they exist and are executable, and never runs
 * them). Rewriting {@code ExecStart=} in a copy would also pass but would no longer test the file we ship.
 * {@code --man=no}: the {@code Documentation=man:ferry(1)} page exists only once the package is installed.
 */
class UnitFilesTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final List<String> UNITS = List.of("ferry.service", "ferry@.service");
    /** The worst {@code systemd-analyze security} rating we accept (0 = locked down, 10 = exposed; ours: 1.5). */
    private static final double MAX_EXPOSURE = 2.0;

    @TempDir
    Path root;

    private Path analyze;

    @BeforeEach
    void buildRoot() throws IOException {
        analyze = SystemdTools.require("systemd-analyze");
        Path hostUnits = Path.of("/usr/lib/systemd/system");
        assertThat(hostUnits).as("this host's systemd units (Debian's systemd package)").isDirectory();
        copyTree(hostUnits, root.resolve("usr/lib/systemd/system"));
        for (String unit : UNITS) {
            Files.copy(unitsDir().resolve(unit), Files.createDirectories(root.resolve("etc/systemd/system")).resolve(unit));
        }
        standIn(root.resolve("usr/bin/ferry"));
        standIn(root.resolve("bin/kill"));
    }

    @Test
    void verifyAcceptsBothUnitsWithoutAWord() throws IOException {
        Exec.Result r = analyze("verify", UNITS);

        assertThat(r.output().lines().filter(l -> l.contains("ferry")))
                .as("what systemd-analyze verify says about our units:%n%s", r.output()).isEmpty();
        assertThat(r.exitCode()).as("systemd-analyze verify: %s", r.output()).isZero();
    }

    @Test
    void verifyWouldSeeAMistake() throws IOException {
        Files.writeString(root.resolve("etc/systemd/system/ferry-broken.service"), """
                [Service]
                Type=notify
                ExecStart=/usr/bin/ferry-missing daemon
                ProtectSytem=strict
                """);

        Exec.Result r = analyze("verify", List.of("ferry-broken.service"));

        assertThat(r.exitCode()).as("a missing ExecStart binary fails verify").isNotZero();
        assertThat(r.output()).contains("Unknown key 'ProtectSytem' in section [Service]")
                .contains("Command /usr/bin/ferry-missing is not executable");
    }

    @Test
    void securityRatesBothUnitsAsLowExposure() throws IOException {
        Exec.Result r = analyze("security", List.of("--offline=yes", "ferry.service", "ferry@.service"));

        Matcher m = Pattern.compile("Overall exposure level for (\\S+): (\\d+\\.\\d+)").matcher(r.output());
        List<String> rated = new ArrayList<>();
        while (m.find()) {
            rated.add(m.group(1));
            assertThat(Double.parseDouble(m.group(2))).as("exposure of %s", m.group(1)).isLessThanOrEqualTo(MAX_EXPOSURE);
        }
        assertThat(rated).as("systemd-analyze security output:%n%s", r.output())
                .containsExactly("ferry.service", "ferry@i.service");
    }

    @Test
    void theTemplateDiffersFromTheSingleUnitOnlyInItsConfigStateAndRuntimeFolders() throws IOException {
        List<String> single = settings(unitsDir().resolve("ferry.service"));
        List<String> template = settings(unitsDir().resolve("ferry@.service"));

        List<String> mapped = single.stream().map(s -> switch (s) {
            case "Description=ferry folder sync (/etc/ferry/ferry.yaml)" -> "Description=ferry folder sync (/etc/ferry/%i.yaml)";
            case "ExecStart=/usr/bin/ferry daemon --config /etc/ferry/ferry.yaml" ->
                    "ExecStart=/usr/bin/ferry daemon --config /etc/ferry/%i.yaml";
            case "StateDirectory=ferry" -> "StateDirectory=ferry/%i";
            case "RuntimeDirectory=ferry" -> "RuntimeDirectory=ferry-%i";
            default -> s;
        }).toList();
        assertThat(template).isEqualTo(mapped);
    }

    @Test
    void theUnitsSayWhatTheDaemonNeeds() throws IOException {
        for (String unit : UNITS) {
            List<String> s = settings(unitsDir().resolve(unit));
            assertThat(s).as(unit).contains("Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                    "RestartPreventExitStatus=2", "User=ferry", "Group=ferry", "Environment=LC_ALL=C.UTF-8",
                    "ProtectSystem=strict", "ReadWritePaths=-/srv/ferry", "ProtectHome=read-only", "PrivateTmp=yes",
                    "NoNewPrivileges=yes", "CapabilityBoundingSet=", "ProtectKernelTunables=yes",
                    "ProtectKernelModules=yes", "ProtectKernelLogs=yes", "ProtectControlGroups=yes",
                    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "RestrictNamespaces=yes", "LockPersonality=yes",
                    "SystemCallFilter=@system-service", "SystemCallArchitectures=native");
            assertThat(s).as("%s: the JIT's code cache is writable and executable", unit)
                    .noneMatch(l -> l.startsWith("MemoryDenyWriteExecute="));

            Map<String, String> values = values(s);
            Duration stop = Duration.ofSeconds(Long.parseLong(values.get("TimeoutStopSec").replace("s", "")));
            // cli.Signals.EXIT_MARGIN: the stop's watchdog exits 5 s after the shutdown-timeout
            assertThat(stop).as("%s: TimeoutStopSec leaves the daemon its shutdown-timeout and its watchdog", unit)
                    .isGreaterThan(FerryConfig.DEFAULT_SHUTDOWN_TIMEOUT.plusSeconds(5));
            long perConnection = PushSettings.DEFAULT_MAX_FILES_IN_FLIGHT + 6;
            assertThat(Long.parseLong(values.get("LimitNOFILE"))).as("%s: open files for every connection", unit)
                    .isGreaterThanOrEqualTo(ReceiveConfig.MAX_CONNECTIONS * perConnection + 100);
        }
    }

    private Exec.Result analyze(String verb, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(analyze.toString(), verb, "--root=" + root, "--man=no"));
        if (verb.equals("security")) {
            command.remove("--man=no");
        }
        command.addAll(args);
        return Exec.run(RUN, command);
    }

    /** The unit's settings in order: every line that is not blank, a comment or a section header. */
    private static List<String> settings(Path unit) throws IOException {
        return Files.readAllLines(unit, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("[")).toList();
    }

    private static Map<String, String> values(List<String> settings) {
        return settings.stream().map(l -> l.split("=", 2))
                .collect(java.util.stream.Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> a + " " + b));
    }

    private static void standIn(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Copies a folder as it is: symbolic links (masked units point at /dev/null) stay links. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The repository's systemd/ folder, found by walking up from the working directory (daemon/ under Maven). */
    static Path unitsDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("systemd")) && Files.isDirectory(dir.resolve("daemon"))) {
                return dir.resolve("systemd");
            }
        }
        throw new UncheckedIOException(new IOException("no systemd/ folder next to daemon/ above "
                + Path.of("").toAbsolutePath()));
    }
}
