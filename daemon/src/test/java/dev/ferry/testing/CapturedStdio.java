package dev.ferry.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out} and {@code System.err} captured for a test that runs the command line in-process; {@link #close}
 * puts the real ones back. Not for tests that run in parallel (the streams are the JVM's).
 */
public final class CapturedStdio implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream savedOut = System.out;
    private final PrintStream savedErr = System.err;

    private CapturedStdio() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    public static CapturedStdio start() {
        return new CapturedStdio();
    }

    public String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Everything on stderr, log lines of an in-process receiver included. */
    public String allErr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** What ferry itself printed on stderr: its {@code ferry: } lines, each ending with '\n'. */
    public String ferryErr() {
        return allErr().lines().filter(l -> l.startsWith("ferry: ")).map(l -> l + "\n").reduce("", String::concat);
    }

    /** Forgets what stdout holds so far (between two runs in one test). */
    public void resetOut() {
        out.reset();
    }

    @Override
    public void close() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }
}
