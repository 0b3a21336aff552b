package dev.ferry.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.testing.Exec;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.SystemdTools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * systemd/ferry.service run for real by a real systemd: {@code systemd/try-in-container} boots a
 * {@code systemd-nspawn} container (systemd 252 as its PID 1, never the host's init) on an overlay of this host's
 * root, with ferry (this test's classes and jars, as the shaded jar is built after the tests) at
 * {@code /usr/bin/ferry}; a probe inside starts the unit, inspects the main process and stops it. This shows that
 * the JVM lives with the unit's hardening (seccomp filter, no capabilities, read-only /, private /tmp and devices),
 * that {@code Type=notify} start returns after READY=1, and that a sync runs through it.
 *
 * A reload (SIGHUP) keeps the same main process running; {@code ferry status} reaches the daemon through its
 * control socket in {@code /run/ferry} (the unit's RuntimeDirectory, 0700, the socket 0600, both the ferry user's);
 * a stop ends with exit status 0, the unit inactive, not failed, and {@code /run/ferry} gone.
 *
 * <p>Needs root (a mount namespace, overlayfs, nspawn): as another user it is skipped, saying so. Needs
 * {@code systemd-nspawn} (Debian's systemd-container; {@code .ci/run} installs it).
 */
class UnitInContainerTest {
    @Test
    void aRealSystemdStartsTheHardenedUnitAndTheDaemonSyncs() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "UnitInContainerTest needs root (unshare -m, overlayfs, systemd-nspawn); skipped as another user");
        SystemdTools.require("systemd-nspawn");
        String classPath = FerryProcess.Builder.classPath();

        Exec.Result r = Exec.run(Duration.ofSeconds(180), List.of("/usr/bin/env", "FERRY_CLASSPATH=" + classPath,
                UnitFilesTest.unitsDir().resolve("try-in-container").toString()));

        assertThat(r.exitCode()).as("try-in-container:%n%s", r.output()).isZero();
        List<String> lines = r.output().lines().toList();
        assertThat(lines).as(r.output())
                .contains("Type=notify", "NRestarts=0",
                        "ActiveState=active", "SubState=running")
                .contains("CapEff:\t0000000000000000", "CapBnd:\t0000000000000000", "NoNewPrivs:\t1", "Seccomp:\t2")
                .contains("touch: cannot touch '/etc/ferry-was-here': Read-only file system")
                .contains("index.bin", "one.txt", "two.txt")
                .contains("== systemctl reload ferry: rc=0", "== after the reload: same MainPID=yes")
                .contains("Result=success", "ExecMainStatus=0", "ActiveState=inactive")
                .contains("== control socket: 700 ferry 600 ferry ", "== ferry status: rc=0",
                        "/srv/ferry/src (1 directory watched)", "receiver on 127.0.0.1:7878, 0 partial files kept",
                        "  folders: inbox", "== after the stop: /run/ferry is gone")
                .anyMatch(l -> l.startsWith("  127.0.0.1:7878/inbox     in sync "))
                .anyMatch(l -> l.startsWith("StatusText=1 pair, receiver on 127.0.0.1:7878")) // "; 1 in sync" after
                .anyMatch(l -> l.startsWith("== systemctl start ferry: rc=0 "))
                .anyMatch(l -> l.startsWith("== → Overall exposure level for ferry.service: 1."));
        int running = indexOf(lines, "INFO  Daemon daemon running: receiver=/127.0.0.1:7878 pairs=1");
        int started = indexOf(lines, "Started ferry.service - ferry folder sync (/etc/ferry/ferry.yaml).");
        assertThat(running).as("the daemon's start line, in the journal:%n%s", r.output()).isNotNegative();
        assertThat(started).as("systemd calls the unit started (READY=1) only after the daemon runs").isGreaterThan(running);
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }
}
