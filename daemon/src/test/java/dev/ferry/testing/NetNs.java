package dev.ferry.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Two "hosts" for tests: network namespaces A and B joined by a veth pair ({@value #ADDRESS_A}/30 in A,
 * {@value #ADDRESS_B}/30 in B, {@code lo} up in both), optionally rate-limited with {@code tc tbf}, with a link
 * that can be flapped. Needs root and iproute2; {@link #availability()} says whether this machine can, and why
 * not, so tests can skip with {@code assumeTrue(NetNs.availability().ok(), NetNs.availability().reason())}.
 *
 * <p>The veth pair is created directly inside the namespaces, so its ends never appear on the host and every
 * instance can use the same addresses. Names are {@code ferry-PID-N-a/b}: {@link #close()} kills every process left
 * inside and deletes both (which removes the veth too); a JVM shutdown hook closes what a failed test left open,
 * and namespaces of JVMs that no longer run are swept on first use.
 *
 * <p>Threads: none of its own; commands run on the calling thread with a 30 s deadline each.
 */
public final class NetNs implements AutoCloseable {
    public static final String ADDRESS_A = "10.203.0.1";
    public static final String ADDRESS_B = "10.203.0.2";
    public static final String VETH_A = "veth-a";
    public static final String VETH_B = "veth-b";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern OUR_NAME = Pattern.compile("^(ferry-(\\d+)-\\d+-[ab])\\b");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<NetNs> OPEN = ConcurrentHashMap.newKeySet();
    private static volatile Availability availability;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetNs::closeQuietly), "netns-cleanup"));
    }

    /** Whether namespaces can be made here; {@code reason} says why not (or "ok"). */
    public record Availability(boolean ok, String reason) {
    }

    private final String a;
    private final String b;
    private final String ip;

    private NetNs(String a, String b, String ip) {
        this.a = a;
        this.b = b;
        this.ip = ip;
    }

    /** Checked once per JVM: Linux, root, iproute2 found, and a probe pair of namespaces can be made. */
    public static synchronized Availability availability() {
        if (availability == null) {
            availability = probe();
        }
        return availability;
    }

    /** Shorthand for {@code availability().ok()}. */
    public static boolean available() {
        return availability().ok();
    }

    /** Creates A and B joined by a veth pair, addresses set, links up; rolls back on failure. */
    public static NetNs create() throws IOException {
        String ip = tool("ip").orElseThrow(() -> new IOException("iproute2's 'ip' is not installed"));
        String base = "ferry-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        NetNs net = new NetNs(base + "-a", base + "-b", ip);
        OPEN.add(net);
        try {
            net.ip("netns", "add", net.a);
            net.ip("netns", "add", net.b);
            net.ip("link", "add", VETH_A, "netns", net.a, "type", "veth", "peer", "name", VETH_B, "netns", net.b);
            net.ip("-n", net.a, "addr", "add", ADDRESS_A + "/30", "dev", VETH_A);
            net.ip("-n", net.b, "addr", "add", ADDRESS_B + "/30", "dev", VETH_B);
            for (String ns : List.of(net.a, net.b)) {
                net.ip("-n", ns, "link", "set", "lo", "up");
            }
            net.linkUp();
        } catch (IOException | RuntimeException e) {
            try {
                net.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return net;
    }

    /** Namespace A's name (the "sender" host). */
    public String a() {
        return a;
    }

    /** Namespace B's name (the "receiver" host). */
    public String b() {
        return b;
    }

    /** {@code ip netns exec NS}: a prefix for {@link FerryProcess.Builder#prefix}. */
    public List<String> prefix(String ns) {
        return List.of(ip, "netns", "exec", ns);
    }

    /** Runs a short command inside {@code ns} (30 s deadline); the result holds its exit code and output. */
    public Exec.Result exec(String ns, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(prefix(ns));
        cmd.addAll(List.of(command));
        return Exec.run(COMMAND_TIMEOUT, cmd);
    }

    /**
     * Rate-limits both veth ends with {@code tc qdisc replace ... root tbf rate RATE burst 256kb latency 100ms},
     * e.g. {@code shape("100mbit")}.
     */
    public void shape(String rate) throws IOException {
        shape(rate, "256kb", "100ms");
    }

    public void shape(String rate, String burst, String latency) throws IOException {
        String tc = tool("tc").orElseThrow(() -> new IOException("iproute2's 'tc' is not installed"));
        exec(a, tc, "qdisc", "replace", "dev", VETH_A, "root", "tbf", "rate", rate, "burst", burst, "latency", latency)
                .orThrow();
        exec(b, tc, "qdisc", "replace", "dev", VETH_B, "root", "tbf", "rate", rate, "burst", burst, "latency", latency)
                .orThrow();
    }

    /** {@code tc qdisc show dev VETH} in {@code ns}. */
    public String qdisc(String ns) throws IOException {
        String tc = tool("tc").orElseThrow(() -> new IOException("iproute2's 'tc' is not installed"));
        return exec(ns, tc, "qdisc", "show", "dev", ns.equals(a) ? VETH_A : VETH_B).orThrow().output();
    }

    /** {@code ip link show VETH} in {@code ns}: the state of that end of the link. */
    public String link(String ns) throws IOException {
        return Exec.run(COMMAND_TIMEOUT, List.of(ip, "-n", ns, "link", "show", ns.equals(a) ? VETH_A : VETH_B))
                .orThrow().output();
    }

    /** Takes both ends of the link down (the cable is pulled): packets are dropped, connections stay open. */
    public void linkDown() throws IOException {
        ip("-n", a, "link", "set", VETH_A, "down");
        ip("-n", b, "link", "set", VETH_B, "down");
    }

    /** Brings both ends up again; TCP retransmits what was lost while down. */
    public void linkUp() throws IOException {
        ip("-n", a, "link", "set", VETH_A, "up");
        ip("-n", b, "link", "set", VETH_B, "up");
    }

    /** Names of every namespace on this host ({@code ip netns list}). */
    public static List<String> list() throws IOException {
        String ip = tool("ip").orElseThrow(() -> new IOException("iproute2's 'ip' is not installed"));
        List<String> names = new ArrayList<>();
        for (String line : Exec.run(COMMAND_TIMEOUT, List.of(ip, "netns", "list")).orThrow().output().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Kills every process inside A and B (they would keep the namespaces alive), then deletes both. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (String ns : List.of(a, b)) {
            try {
                delete(ip, ns);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        OPEN.remove(this);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return a + " <-> " + b;
    }

    private void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ip));
        cmd.addAll(List.of(args));
        Exec.run(COMMAND_TIMEOUT, cmd).orThrow();
    }

    private static void delete(String ip, String ns) throws IOException {
        if (!Files.exists(Path.of("/var/run/netns", ns)) && !Files.exists(Path.of("/run/netns", ns))) {
            return;
        }
        Exec.Result pids = Exec.run(COMMAND_TIMEOUT, List.of(ip, "netns", "pids", ns));
        for (String pid : pids.ok() ? pids.output().split("\\s+") : new String[0]) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> p).join();
                });
            }
        }
        Exec.run(COMMAND_TIMEOUT, List.of(ip, "netns", "del", ns)).orThrow();
    }

    private static void closeQuietly(NetNs net) {
        try {
            net.close();
        } catch (IOException e) {
            System.err.println("NetNs: could not clean up " + net + ": " + e.getMessage());
        }
    }

    private static Availability probe() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return new Availability(false, "network namespaces need Linux, this is " + System.getProperty("os.name"));
        }
        try {
            long uid = effectiveUid();
            if (uid != 0) {
                return new Availability(false, "network namespaces need root; running as uid " + uid);
            }
            Optional<String> ip = tool("ip");
            if (ip.isEmpty()) {
                return new Availability(false, "iproute2's 'ip' is not installed (apt-get install iproute2)");
            }
            sweepStale(ip.get());
            try (NetNs probe = create()) {
                return new Availability(true, "ok (" + probe + " created and deleted)");
            }
        } catch (IOException | RuntimeException e) {
            return new Availability(false, "cannot create network namespaces here: " + e.getMessage());
        }
    }

    /** Deletes namespaces named by this class in JVMs that are gone (killed before their shutdown hook ran). */
    private static void sweepStale(String ip) throws IOException {
        for (String name : list()) {
            Matcher m = OUR_NAME.matcher(name);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                delete(ip, m.group(1));
            }
        }
    }

    private static long effectiveUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid line in /proc/self/status");
    }

    /** Finds an executable on PATH or in the sbin folders, which a non-login PATH often lacks. */
    static Optional<String> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        try (Stream<String> s = dirs.stream()) {
            return s.filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable)
                    .map(Path::toString).findFirst();
        }
    }
}
