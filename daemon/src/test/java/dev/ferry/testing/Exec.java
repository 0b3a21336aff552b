package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short command (ip, tc, ...) to completion with a deadline, stdout and stderr captured together. The
 * calling thread waits; one virtual thread drains the output so a chatty command cannot block on a full pipe.
 */
public final class Exec {
    /** How a command ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result, or an IOException quoting the command, its exit code and output. */
        public Result orThrow() throws IOException {
            if (!ok()) {
                throw new IOException(String.join(" ", command) + " exited with " + exitCode + ": " + output.strip());
            }
            return this;
        }
    }

    private Exec() {
    }

    /** Runs {@code command}; kills it and throws if it takes longer than {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        StringBuilder out = new StringBuilder();
        Thread drain = Thread.ofVirtual().name("exec-drain").start(() -> {
            try (InputStream in = p.getInputStream()) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(s);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
            }
            drain.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        synchronized (out) {
            return new Result(List.copyOf(command), p.exitValue(), out.toString());
        }
    }
}
