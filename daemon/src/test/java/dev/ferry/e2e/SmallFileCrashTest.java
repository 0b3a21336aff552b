package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Secrets;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a receiver in the middle of a burst of small files, which it commits in groups (one syncfs for a group's
 * data, the renames, one syncfs for their directory entries): every final path holds the old version or the new
 * one, whole, never an empty or torn file; the receiver started again on the same folder and the push run again
 * leave the target identical to the source.
 */
class SmallFileCrashTest {
    private static final int FILES = 3000;
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration PUSH = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void everyFileIsTheOldOrTheNewVersionWholeAfterAKillMidBatch() throws IOException, InterruptedException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Path token = tmp.resolve("token");
        Secrets.write(token, "small-file-crash-test-token-0123456789\n");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            names.add("d" + (i % 30) + "/f" + i + ".bin");
        }
        write(source, names, 1);
        try (FerryProcess receiver = receiver(target, token).start()) {
            assertThat(push(source, receiver.awaitReceiverPort(START), token).awaitExit(PUSH)).isZero();
        }
        Trees.assertIdentical(source, target);
        byte[][] old = read(target, names);

        write(source, names, 2); // every file a new version, sizes changed too
        byte[][] fresh = read(source, names);
        FerryProcess receiver = receiver(target, token).start();
        try (FerryProcess push = push(source, receiver.awaitReceiverPort(START), token)) {
            awaitNewVersions(target, names, fresh, FILES / 10);
            receiver.kill9();
            push.awaitExit(START);
        } finally {
            receiver.close();
        }

        int asOld = 0;
        int asNew = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] now = Files.readAllBytes(target.resolve(names.get(i)));
            if (Arrays.equals(now, old[i])) {
                asOld++;
            } else if (Arrays.equals(now, fresh[i])) {
                asNew++;
            } else {
                throw new AssertionError(names.get(i) + " is neither version (" + now.length + " bytes; old "
                        + old[i].length + ", new " + fresh[i].length + ")");
            }
        }
        System.out.printf("small-file crash: %d files new, %d old after the kill%n", asNew, asOld);
        assertThat(asNew).as("files committed before the kill").isGreaterThanOrEqualTo(FILES / 10);
        assertThat(asOld).as("files not yet committed at the kill").isPositive();

        try (FerryProcess again = receiver(target, token).start()) {
            assertThat(push(source, again.awaitReceiverPort(START), token).awaitExit(PUSH)).isZero();
        }
        Trees.assertIdentical(source, target);
    }

    private FerryProcess.Builder receiver(Path target, Path token) {
        return FerryProcess.ferry("receive", "--listen", "127.0.0.1:0", "--folder", "box=" + target,
                "--token-file", token.toString(), "--durability", "fsync").logDir(tmp.resolve("logs"));
    }

    private FerryProcess push(Path source, int port, Path token) throws IOException {
        return FerryProcess.ferry("push", source + "/", "ferry://127.0.0.1:" + port + "/box", "--token-file",
                token.toString()).logDir(tmp.resolve("logs")).start();
    }

    /** Version {@code version} of every file: 1-8 KiB of random bytes each. */
    private static void write(Path root, List<String> names, int version) throws IOException {
        Random random = new Random(version);
        for (String name : names) {
            byte[] bytes = new byte[1024 + random.nextInt(7 * 1024)];
            random.nextBytes(bytes);
            Files.write(Files.createDirectories(root.resolve(name).getParent()).resolve(root.resolve(name).getFileName()),
                    bytes);
        }
    }

    private static byte[][] read(Path root, List<String> names) throws IOException {
        byte[][] all = new byte[names.size()][];
        for (int i = 0; i < all.length; i++) {
            all[i] = Files.readAllBytes(root.resolve(names.get(i)));
        }
        return all;
    }

    /** Polls until at least {@code count} files of the target hold their new version (bounded by {@link #PUSH}). */
    private static void awaitNewVersions(Path target, List<String> names, byte[][] fresh, int count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PUSH.toNanos();
        while (System.nanoTime() < deadline) {
            int n = 0;
            for (int i = 0; i < names.size() && n < count; i++) {
                if (Files.size(target.resolve(names.get(i))) == fresh[i].length
                        && Arrays.equals(Files.readAllBytes(target.resolve(names.get(i))), fresh[i])) {
                    n++;
                }
            }
            if (n >= count) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("fewer than " + count + " new versions arrived within " + PUSH);
    }
}
