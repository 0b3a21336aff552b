package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.disk.Beneath;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The symlink race of rsync's CVEs, against a real receiver: while a client pushes files, sets a directory's mode
 * and mtime, deletes, renames and makes symlinks under {@code d/sub/} in a loop, another thread keeps swapping
 * {@code d} (or {@code d/sub}) for a symlink to a directory outside the root that holds files of the same names.
 * For {@value #SWAP_SECONDS} seconds; afterwards nothing outside was written, created, renamed, deleted, chmodded
 * or touched, the race was really met (paths were refused), and the receiver still serves. Run with openat2 and
 * with the per-segment fallback.
 */
class SymlinkSwapRaceTest {
    static final Token TOKEN = Token.of("race-test-token-0123456789abc");
    static final int SWAP_SECONDS = 5;

    @TempDir
    Path tmp;
    Receiver receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
        System.clearProperty(Beneath.RESOLUTION_PROPERTY);
    }

    @ParameterizedTest
    @EnumSource(Beneath.Resolution.class)
    void nothingOutsideTheRootIsEverTouchedWhileADirectoryOnThePathIsSwappedForASymlink(Beneath.Resolution resolution)
            throws Exception {
        if (resolution == Beneath.Resolution.SEGMENTS) {
            System.setProperty(Beneath.RESOLUTION_PROPERTY, "segments");
        }
        Path target = Files.createDirectories(tmp.resolve("target")).toRealPath();
        Path outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        sentinels(outside);
        Map<String, String> before = snapshot(outside);
        Files.createDirectories(target.resolve("d/sub"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong swaps = new AtomicLong();
        Thread swapper = Thread.ofPlatform().name("swapper").start(() -> swapLoop(target, outside, stop, swaps));
        long ops;
        try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "f", TOKEN)) {
            ops = operateUntil(c, Instant.now().plusSeconds(SWAP_SECONDS));
        } finally {
            stop.set(true);
            swapper.join(Duration.ofSeconds(10));
        }
        assertThat(swapper.isAlive()).isFalse();

        assertThat(snapshot(outside)).as("the outside directory, after %d operations and %d swaps", ops, swaps.get())
                .isEqualTo(before);
        assertThat(swaps.get()).isGreaterThan(100);
        assertThat(receiver.stats().snapshot().pathsRefused()).as("the race was met").isPositive();
        assertThat(receiver.stats().snapshot().filesCommitted()).as("and files went through between swaps").isPositive();
        try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "f", TOKEN)) {
            HostileClientTest.sendFile(c, 1, "after/ok.txt", "still serving".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readString(target.resolve("after/ok.txt"))).isEqualTo("still serving");
    }

    /** Files outside with the names the client uses, a known mode and an old mtime each. */
    private static void sentinels(Path outside) throws IOException {
        Path sub = Files.createDirectories(outside.resolve("sub"));
        for (Path dir : new Path[] {outside, sub}) {
            for (String name : new String[] {"f0", "f1", "f2", "f3", "g0", "sentinel"}) {
                Path f = Files.writeString(dir.resolve(name), "outside " + name);
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
                Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
            }
        }
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(sub, FileTime.from(Instant.parse("2002-02-03T04:05:06Z")));
    }

    /** Every entry below {@code dir}: its kind, mode, mtime and (files) content or (links) target. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,lastModifiedTime,isDirectory,isSymbolicLink",
                        LinkOption.NOFOLLOW_LINKS);
                String what = (Boolean) a.get("isSymbolicLink") ? "link->" + Files.readSymbolicLink(p)
                        : (Boolean) a.get("isDirectory") ? "dir" : "file:" + Files.readString(p);
                m.put(dir.relativize(p).toString(), what + " mode=" + Integer.toOctalString((Integer) a.get("mode"))
                        + " mtime=" + (p.equals(dir) ? "-" : a.get("lastModifiedTime")));
            }
        }
        return m;
    }

    /** Swaps d, then d/sub, for a symlink to outside (and outside/sub) and back, as fast as it can. */
    private static void swapLoop(Path target, Path outside, AtomicBoolean stop, AtomicLong swaps) {
        Path[][] levels = {{target.resolve("d"), target.resolve("d.real"), outside},
                {target.resolve("d/sub"), target.resolve("d/sub.real"), outside.resolve("sub")}};
        for (int i = 0; !stop.get(); i++) {
            Path[] level = levels[i % 2];
            Path dir = level[0];
            Path aside = level[1];
            try {
                Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
                Files.createSymbolicLink(dir, level[2]);
                swaps.incrementAndGet();
                Thread.onSpinWait();
            } catch (IOException e) {
                // the receiver made the directory again meanwhile, or it was not there: try the next round
            }
            restore(dir, aside);
        }
        restore(levels[1][0], levels[1][1]);
        restore(levels[0][0], levels[0][1]);
    }

    private static void restore(Path dir, Path aside) {
        try {
            if (Files.isSymbolicLink(dir)) {
                Files.delete(dir);
            }
            if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) { // made again by the receiver meanwhile
                    dev.ferry.disk.Directories.deleteTree(dir);
                }
                Files.move(aside, dir, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            // the parent was swapped away meanwhile: the next round puts it back
        }
    }

    /** Pushes, chmods, deletes, renames and links under d/sub/ until {@code end}; returns the operations made. */
    private static long operateUntil(RawClient c, Instant end) throws IOException {
        long ops = 0;
        int id = 1;
        for (int i = 0; Instant.now().isBefore(end); i++) {
            byte[] content = ("race " + i).getBytes(StandardCharsets.UTF_8);
            int fileId = id++;
            Frame r = c.send(HostileClientTest.offer(fileId, "d/sub/f" + (i % 4), content));
            if (r instanceof Frame.Need need) {
                boolean ok = true;
                for (Frame.Range range : need.ranges()) {
                    for (int k = range.start(); k < range.start() + range.count() && ok; k++) {
                        ok = c.send(HostileClientTest.chunk(fileId, k, content)) instanceof Frame.Ack;
                    }
                }
                if (ok) {
                    c.send(new Frame.Commit(fileId));
                }
            }
            c.send(new Frame.Offer(id++, EntryKind.DIRECTORY, "d/sub", 0, 1_000_000L, 0, 0700, HostileClientTest.CHUNK,
                    HashAlgorithm.XXH3_128, new byte[16], 0, new byte[0], Frame.Delivery.ASKED));
            c.send(new Frame.Delete(id++, "d/sub/f" + ((i + 1) % 4)));
            c.send(new Frame.Rename(id++, "d/sub/f" + ((i + 2) % 4), "d/sub/g0"));
            c.send(new Frame.Symlink(id++, "d/sub/l", "f0", 1_000_000L, 0));
            c.send(new Frame.Delete(id++, "d/sub/l"));
            ops += 6;
        }
        return ops;
    }
}
