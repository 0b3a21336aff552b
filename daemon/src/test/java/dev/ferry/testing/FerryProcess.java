package dev.ferry.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * ferry (or any other main class of the test classpath, such as {@link TcpSink} or {@link FaultProxy}) as a real
 * OS process, for tests that kill -9 it. Runs {@code [PREFIX...] JAVA [OPTIONS] -cp CLASSPATH MAIN ARGS}, with the
 * test JVM's own java binary and classpath (the shaded jar does not exist yet during {@code mvn test}); stdout and
 * stderr go to one log file. A prefix such as {@code ip netns exec NS} must exec the command (not fork it), so
 * {@link #pid()} is the JVM's.
 *
 * <p>Threads: none of its own. The test thread starts it, polls its log ({@link #awaitLog}, every 10 ms, with a
 * deadline) and ends it; a JVM shutdown hook kills whatever a failed test left running.
 */
public final class FerryProcess implements AutoCloseable {
    /** The receiver's start-up line; group 1 is the port it listens on. */
    public static final Pattern RECEIVER_LISTENING = Pattern.compile("receiver listening on \\S*:(\\d+) ");
    /** The start-up line of {@link FaultProxy}, {@link TcpSink}; group 1 is the port. */
    public static final Pattern LISTENING_ON = Pattern.compile("^listening on (\\d+)$");

    /**
     * As {@code bin/ferry}: no 300 ms wait at exit for the JDK's poller thread; SerialGC, as several JVMs share
     * two cores in these tests; native access, which the jar's manifest grants ({@code Enable-Native-Access}) and a
     * {@code -cp} launch must grant on the command line (the systemd notifier calls libc through FFM).
     */
    public static final List<String> DEFAULT_JAVA_OPTIONS = List.of("-XX:UserThreadWaitAttemptsAtExit=0",
            "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Set<FerryProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(FerryProcess::closeQuietly),
                "ferry-process-cleanup"));
    }

    private final String name;
    private final Process process;
    private final List<String> command;
    private final Path log;
    private final Path ownedDir;
    private final LogTail tail;
    private final OutputStream stdin;

    private FerryProcess(String name, Process process, List<String> command, Path log, Path ownedDir) {
        this.name = name;
        this.process = process;
        this.command = command;
        this.log = log;
        this.ownedDir = ownedDir;
        this.tail = new LogTail(log);
        this.stdin = process.getOutputStream();
    }

    /** {@code ferry VERB ARGS...}: {@code dev.ferry.cli.Main}. */
    public static Builder ferry(String verb, String... args) {
        List<String> all = new ArrayList<>(List.of(verb));
        all.addAll(List.of(args));
        return new Builder("dev.ferry.cli.Main", "ferry " + verb, all);
    }

    /** Another main class of the test classpath. */
    public static Builder java(Class<?> mainClass, String... args) {
        return new Builder(mainClass.getName(), mainClass.getSimpleName(), List.of(args));
    }

    /** How to start the process; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private final String mainClass;
        private final String label;
        private final List<String> args;
        private final List<String> prefix = new ArrayList<>();
        private final List<String> javaOptions = new ArrayList<>(DEFAULT_JAVA_OPTIONS);
        private final Map<String, String> env = new LinkedHashMap<>(Map.of("LC_ALL", "C.UTF-8"));
        private Path logDir;

        private Builder(String mainClass, String label, List<String> args) {
            this.mainClass = mainClass;
            this.label = label;
            this.args = args;
        }

        /** A command the java command line is appended to, e.g. {@code ip netns exec NS}. */
        public Builder prefix(List<String> command) {
            prefix.addAll(command);
            return this;
        }

        /** An environment variable, e.g. {@code FERRY_LOG_LEVEL=DEBUG}; {@code LC_ALL} is C.UTF-8 unless set here. */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** JVM options, after the defaults ({@link #DEFAULT_JAVA_OPTIONS}). */
        public Builder javaOptions(String... options) {
            javaOptions.addAll(List.of(options));
            return this;
        }

        /** Where the log file goes (kept); by default a temp folder that {@link #close()} deletes. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        public FerryProcess start() throws IOException {
            Path owned = logDir == null ? Files.createTempDirectory("ferry-process-") : null;
            Path dir = logDir != null ? logDir : owned;
            Files.createDirectories(dir);
            Path log = Files.createTempFile(dir, label.replace(' ', '-') + "-", ".log");
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(javaBinary());
            cmd.addAll(javaOptions);
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add(mainClass);
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // never the machine's state dir (a push keeps its digest cache there): the process's own folder, unless set
            pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toAbsolutePath().toString());
            // nor the service manager's, when the tests themselves run under systemd: set only where a test says so
            pb.environment().remove("STATE_DIRECTORY");
            pb.environment().remove("NOTIFY_SOCKET");
            pb.environment().putAll(env);
            FerryProcess p = new FerryProcess(label, pb.start(), List.copyOf(cmd), log, owned);
            LIVE.add(p);
            return p;
        }

        /** This JVM's classpath with every entry made absolute, as the process runs in its log folder. */
        public static String classPath() {
            return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
                    .collect(Collectors.joining(File.pathSeparator));
        }

        /** The java binary this JVM runs on. */
        public static String javaBinary() {
            return ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }

    public long pid() {
        return process.pid();
    }

    public List<String> command() {
        return command;
    }

    public Path log() {
        return log;
    }

    /** The complete log lines so far. */
    public List<String> logLines() {
        return tail.linesFrom(0);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until a log line matches {@code pattern} (searching from the first line) and returns its match; fails
     * with the log's tail if the process exits first or {@code timeout} passes.
     */
    public MatchResult awaitLog(Pattern pattern, Duration timeout) {
        return awaitLog(pattern, timeout, 0);
    }

    /**
     * Sends {@code line} to stdin and waits for an answer: the first line written after it that matches
     * {@code answer}, e.g. {@code request("stats", Pattern.compile("^stats .*"), WAIT)}.
     */
    public MatchResult request(String line, Pattern answer, Duration timeout) {
        int before = tail.linesFrom(0).size();
        send(line);
        return awaitLog(answer, timeout, before);
    }

    private MatchResult awaitLog(Pattern pattern, Duration timeout, int fromLine) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = fromLine;
        while (true) {
            boolean exited = !process.isAlive();
            for (String line : tail.linesFrom(checked)) {
                checked++;
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m.toMatchResult();
                }
            }
            if (exited) {
                throw failure("exited with " + process.exitValue() + " before a line matched /" + pattern + "/");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("no line matched /" + pattern + "/ within " + timeout);
            }
            sleepQuietly(10);
        }
    }

    /** Waits for the receiver's start-up line; returns the port it listens on. */
    public int awaitReceiverPort(Duration timeout) {
        return Integer.parseInt(awaitLog(RECEIVER_LISTENING, timeout).group(1));
    }

    /** Waits for a {@code listening on PORT} line; returns the port. */
    public int awaitListeningPort(Duration timeout) {
        return Integer.parseInt(awaitLog(LISTENING_ON, timeout).group(1));
    }

    /** Writes one line to the process's stdin. */
    public void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to stdin of " + this, e);
        }
    }

    /** SIGKILL (with any children), then waits for it to be gone; returns the exit code (137). */
    public int kill9() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return awaitExit(KILL_WAIT);
    }

    /** Sends a signal by name ({@code HUP}, {@code INT}, {@code TERM}) with the real {@code kill} command. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw failure("kill -s " + name + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kill -s " + name + " " + this, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted signalling " + this, e);
        }
    }

    /** SIGTERM, then waits up to 10 s; returns the exit code. */
    public int stop() {
        return stop(Duration.ofSeconds(10));
    }

    /** SIGTERM, then waits up to {@code grace}; if it is still running, SIGKILL and fail. */
    public int stop(Duration grace) {
        process.destroy();
        if (!waitFor(grace)) {
            kill9();
            throw failure("did not exit within " + grace + " of SIGTERM; killed");
        }
        return process.exitValue();
    }

    /** Waits for the process to exit by itself; returns its exit code, or fails (leaving it running). */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw failure("still running after " + timeout);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Kills the process if it still runs and deletes its log folder if this class made it. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                kill9();
            }
            stdin.close();
        } finally {
            LIVE.remove(this);
            if (ownedDir != null) {
                try (Stream<Path> s = Files.walk(ownedDir)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + this, e);
        }
    }

    private AssertionError failure(String what) {
        return new AssertionError(this + " " + what + "; log " + log + " ends with:\n" + tail.tail(30));
    }

    private static void closeQuietly(FerryProcess p) {
        try {
            p.close();
        } catch (IOException | AssertionError e) {
            System.err.println("FerryProcess: could not clean up " + p + ": " + e.getMessage());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
