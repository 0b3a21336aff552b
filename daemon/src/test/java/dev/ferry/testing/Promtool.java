package dev.ferry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's {@code promtool check metrics}, run for real on a scrape's text. It comes with Debian's
 * {@code prometheus} package, which {@code .ci/run} installs when it is missing; where it is not installed the
 * check is skipped with that advice (the exact-value assertions still run).
 */
public final class Promtool {
    private Promtool() {
    }

    /** The output of {@code promtool check metrics < text} (empty when it has nothing to say); fails if it fails. */
    public static String checkMetrics(String text, Path scratch) throws IOException {
        Path promtool = find();
        Assumptions.assumeTrue(promtool != null, "promtool is not installed: apt-get install -y prometheus"
                + " (.ci/run does this when it is missing); skipping the promtool check");
        Path file = scratch.resolve("scrape.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        // promtool reads the metrics on stdin; Exec gives /dev/null, so a shell redirects the file
        Exec.Result r = Exec.run(Duration.ofSeconds(30),
                List.of("/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool.toString(), file.toString()));
        if (!r.ok()) {
            throw new AssertionError("promtool check metrics failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        return r.output().strip();
    }

    private static Path find() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/bin"}) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
