package dev.ferry.e2e;

import dev.ferry.testing.Secrets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ferry.auth.Token;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.Exec;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver whose folder is a 24 MiB tmpfs, under real pushes: the disk fills up, the filesystem goes read-only,
 * a directory is not writable. Each time the file concerned fails with a reason that names it, the rest of the
 * push arrives, nothing at a final path changes, and once the cause is gone the next push completes — resuming
 * from the partial file the failure kept.
 *
 * <p>Needs root for {@code mount} (skipped otherwise). Root also passes every permission check, so the
 * permission case runs {@code ferry receive} as a separate process whose capabilities CAP_DAC_OVERRIDE,
 * CAP_DAC_READ_SEARCH and CAP_FOWNER are dropped ({@code setpriv}), against a directory owned by another user.
 */
class DiskFullTest {
    static final Token TOKEN = Token.of("test-token-0123456789abcdef");
    static final Duration CMD = Duration.ofSeconds(10);
    static final int MIB = 1024 * 1024;
    static final List<String> WITHOUT_PERMISSION_BYPASS = List.of("setpriv",
            "--bounding-set=-dac_override,-dac_read_search,-fowner", "--");
    static final String NOBODY = "65534:65534";

    @TempDir
    Path tmp;
    Path source;
    Path target;
    Receiver receiver;
    FerryProcess process;
    private boolean mounted;

    @BeforeEach
    void mountTmpfs() throws IOException {
        assumeTrue(uid() == 0, "needs root to mount a tmpfs as the receiver's folder (running as uid " + uid() + ")");
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        Exec.Result m = mount("-t", "tmpfs", "-o", "size=24m,mode=755", "ferry-disk-full", target.toString());
        assumeTrue(m.ok(), "mount -t tmpfs failed, so a full disk cannot be tested here: " + m.output().strip());
        mounted = true;
    }

    @AfterEach
    void unmount() throws IOException {
        try {
            if (receiver != null) {
                receiver.close();
            }
            if (process != null) {
                process.close();
            }
        } finally {
            if (mounted && !Exec.run(CMD, List.of("umount", target.toString())).ok()) {
                Exec.run(CMD, List.of("umount", "-l", target.toString())).orThrow();
            }
        }
    }

    @Test
    void diskFullFailsOnlyTheBigFileKeepsItsPartialAndResumesOnceThereIsSpace() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("photos", target, "other", other)));
        Path old = Trees.randomFile(target.resolve("big.bin"), 4 * MIB, 1);
        Trees.mtime(old, "2020-01-01T00:00:00Z");
        byte[] oldBytes = Files.readAllBytes(old);
        Trees.randomFile(source.resolve("big.bin"), 40 * MIB, 2); // 20 MiB free: about half of it fits
        Trees.randomFile(source.resolve("notes/a.txt"), 3000, 3);
        Trees.randomFile(source.resolve("b.txt"), 70_000, 4);

        PushResult full = push(receiver.address().getPort(), "photos", source);

        assertThat(full.failures()).containsExactly(
                new PushResult.Failure("big.bin", "cannot write 'big.bin': No space left on device (NO_SPACE)"));
        assertThat(full.filesSent()).isEqualTo(2);
        assertThat(Files.readAllBytes(old)).as("the old big.bin").isEqualTo(oldBytes);
        assertThat(Files.getLastModifiedTime(old).toString()).isEqualTo("2020-01-01T00:00:00Z");
        Trees.assertIdentical(source.resolve("notes"), target.resolve("notes"));
        assertThat(Files.readAllBytes(target.resolve("b.txt"))).isEqualTo(Files.readAllBytes(source.resolve("b.txt")));
        assertThat(partialFiles()).as("partial and sidecar kept for a resume").hasSize(2);

        // the receiver goes on serving: a new file into another folder, an unchanged one into the full folder
        assertThat(push(receiver.address().getPort(), "other", source.resolve("notes")).failures()).isEmpty();
        Trees.assertIdentical(source.resolve("notes"), other);
        PushResult unchanged = Pusher.push(source.resolve("notes"), false, "",
                Loopback.pushSettings(receiver.address().getPort(), "photos", TOKEN));
        assertThat(unchanged.failures()).isEmpty();
        assertThat(unchanged.filesUnchanged()).isEqualTo(1);

        mount("-o", "remount,size=128m", target.toString()).orThrow();
        long resumedBefore = receiver.stats().snapshot().chunksResumed();
        PushResult again = push(receiver.address().getPort(), "photos", source);

        assertThat(again.failures()).isEmpty();
        long resumed = receiver.stats().snapshot().chunksResumed() - resumedBefore;
        assertThat(resumed).as("chunks of the kept partial reused").isPositive();
        assertThat(again.chunksSent()).isEqualTo(40 - resumed);
        assertThat(again.filesSent()).isEqualTo(1);
        assertThat(receiver.stats().snapshot().chunksReused()).isZero();
        Trees.assertIdentical(source, target);
        assertThat(partialFiles()).isEmpty();
    }

    @Test
    void readOnlyTargetFailsTheChangedFilesChangesNothingAndSucceedsOnceWritable() throws IOException {
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("photos", target)));
        Trees.randomFile(target.resolve("doc.txt"), 5000, 1);
        Trees.randomFile(target.resolve("big.bin"), 3 * MIB, 2);
        Trees.randomFile(source.resolve("doc.txt"), 5000, 11);
        Trees.randomFile(source.resolve("big.bin"), 3 * MIB, 12);
        Trees.randomFile(source.resolve("new.txt"), 100, 13);
        Trees.randomFile(source.resolve("sub/same.txt"), 100, 14);
        Exec.run(CMD, List.of("cp", "-a", source.resolve("sub").toString(), target.toString())).orThrow();
        Path before = tmp.resolve("before");
        Exec.run(CMD, List.of("cp", "-a", target.toString(), before.toString())).orThrow();
        mount("-o", "remount,ro", target.toString()).orThrow();

        PushResult ro = push(receiver.address().getPort(), "photos", source);

        // the file and directory already in sync need no write, so they are no failure
        assertThat(ro.failures()).containsExactlyInAnyOrder(
                new PushResult.Failure("doc.txt", "cannot prepare 'doc.txt': Read-only file system (PERMISSION)"),
                new PushResult.Failure("big.bin", "cannot prepare 'big.bin': Read-only file system (PERMISSION)"),
                new PushResult.Failure("new.txt", "cannot prepare 'new.txt': Read-only file system (PERMISSION)"));
        assertThat(ro.filesUnchanged()).isEqualTo(1);
        assertThat(ro.directories()).isEqualTo(1);
        Trees.assertIdentical(before, target);

        mount("-o", "remount,rw", target.toString()).orThrow();
        PushResult rw = push(receiver.address().getPort(), "photos", source);

        assertThat(rw.failures()).isEmpty();
        assertThat(rw.filesSent()).isEqualTo(3);
        Trees.assertIdentical(source, target);
    }

    @Test
    void permissionDeniedKeepsTheReceivedFileAndCommitsItWithoutResendingOncePermitted() throws IOException {
        Path locked = Files.createDirectories(target.resolve("locked"));
        Path old = Trees.randomFile(locked.resolve("doc.bin"), 3 * MIB, 1);
        byte[] oldBytes = Files.readAllBytes(old);
        Exec.run(CMD, List.of("chown", "-R", NOBODY, locked.toString())).orThrow();
        Exec.Result probe = Exec.run(CMD, concat(WITHOUT_PERMISSION_BYPASS, "touch", locked.resolve("probe").toString()));
        assumeTrue(!probe.ok() && probe.output().contains("Permission denied"), "cannot run a process that is refused "
                + "permission here (setpriv dropping CAP_DAC_OVERRIDE): " + probe.output().strip());
        Trees.mode(Trees.randomFile(source.resolve("locked/doc.bin"), 3 * MIB, 2), "r--r--r--");
        Trees.randomFile(source.resolve("free.txt"), 100, 3);
        Path token = Secrets.write(tmp.resolve("token"), "test-token-0123456789abcdef\n");
        process = FerryProcess.ferry("receive", "--listen", "127.0.0.1:0", "--folder", "photos=" + target, "--token-file",
                token.toString()).prefix(WITHOUT_PERMISSION_BYPASS).env("FERRY_LOG_LEVEL", "DEBUG")
                .logDir(tmp.resolve("logs")).start();
        int port = process.awaitReceiverPort(Duration.ofSeconds(20));

        PushResult denied = push(port, "photos", source);

        assertThat(denied.failures()).containsExactlyInAnyOrder(
                new PushResult.Failure("locked/doc.bin", "cannot commit 'locked/doc.bin': Permission denied (PERMISSION)"),
                new PushResult.Failure("locked", "cannot create directory 'locked': Operation not permitted (PERMISSION)"));
        assertThat(Files.readAllBytes(old)).as("the old locked/doc.bin").isEqualTo(oldBytes);
        assertThat(Files.readAllBytes(target.resolve("free.txt"))).isEqualTo(Files.readAllBytes(source.resolve("free.txt")));
        assertThat(partialFiles()).as("the received file kept, with its sidecar").hasSize(2);

        Exec.run(CMD, List.of("chown", "-R", "0:0", locked.toString())).orThrow();
        PushResult permitted = push(port, "photos", source);

        assertThat(permitted.failures()).isEmpty();
        assertThat(permitted.filesSent()).isEqualTo(1);
        assertThat(permitted.chunksSent()).as("every chunk was in the kept partial").isZero();
        process.awaitLog(Pattern.compile("committed folder=photos path=locked/doc.bin peer=\\S+ size=3145728 chunks=3 reused=0 resumed=3 "), CMD);
        Trees.assertIdentical(source, target);
        assertThat(partialFiles()).isEmpty();
    }

    static PushResult push(int port, String folder, Path contentsOf) throws IOException {
        return Pusher.push(contentsOf, true, "", Loopback.pushSettings(port, folder, TOKEN));
    }

    /** Names in the folder's {@code .ferry/partial/}. */
    List<String> partialFiles() throws IOException {
        Path dir = target.resolve(".ferry/partial");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Exec.Result mount(String... args) throws IOException {
        return Exec.run(CMD, concat(List.of("mount"), args));
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** The effective uid of this JVM (the owner of /proc/self), or -1 if it cannot be told. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }
}
