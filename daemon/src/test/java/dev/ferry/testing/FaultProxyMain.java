package dev.ferry.testing;

import dev.ferry.config.ByteSizes;
import dev.ferry.config.Durations;
import dev.ferry.config.HostPort;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FaultProxy} as a process of its own, e.g. inside a network namespace:
 *
 * <pre>
 * java -cp CP dev.ferry.testing.FaultProxy --listen 10.203.0.2:0 --upstream 127.0.0.1:7878 --delay 25ms
 * </pre>
 *
 * Prints {@code listening on PORT} to stdout once it accepts, then runs until killed. Byte faults (drop, stall,
 * flips) apply client → server unless {@code --direction down|both} says otherwise, to every connection unless
 * {@code --connection N}; {@code --delay} applies to both directions of every connection.
 *
 * <p>Commands, one per line on stdin, each answered with one line on stdout: {@code stall}, {@code resume},
 * {@code kill} (all connections), {@code refuse on|off}, {@code drop-after N}, {@code clear}, {@code stats}.
 * The main thread reads them; the proxy runs on its own virtual threads.
 */
final class FaultProxyMain {
    static final String USAGE = """
            Usage: FaultProxy --upstream HOST:PORT [--listen HOST:PORT] [--delay 25ms] [--drop-after N]
                              [--stall-after N] [--flip-at N | --flip-every K | --flip-rate R [--seed S]]
                              [--direction up|down|both] [--connection N]
            """;

    private FaultProxyMain() {
    }

    /** Parsed command line. */
    record Options(InetSocketAddress listen, InetSocketAddress upstream, List<String> faults, String direction,
            int connection) {
    }

    static void main(String[] args) throws IOException, InterruptedException {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FaultProxy: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        FaultProxy proxy = new FaultProxy(o.listen(), o.upstream());
        apply(proxy, o);
        PrintStream out = System.out;
        out.println("listening on " + proxy.port());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            out.println(command(proxy, line.trim()));
            out.flush();
        }
        // stdin closed: keep serving until the process is killed
        Thread.currentThread().join();
    }

    static Options parse(String[] args) {
        InetSocketAddress listen = new InetSocketAddress("127.0.0.1", 0);
        InetSocketAddress upstream = null;
        List<String> faults = new ArrayList<>();
        String direction = "up";
        int connection = 0;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--listen" -> listen = address(value);
                case "--upstream" -> upstream = address(value);
                case "--direction" -> {
                    if (!List.of("up", "down", "both").contains(value)) {
                        throw new IllegalArgumentException("--direction '" + value + "' must be up, down or both");
                    }
                    direction = value;
                }
                case "--connection" -> connection = Integer.parseInt(value);
                case "--delay", "--drop-after", "--stall-after", "--flip-at", "--flip-every", "--flip-rate", "--seed" -> {
                    faults.add(flag);
                    faults.add(value);
                }
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (upstream == null) {
            throw new IllegalArgumentException("--upstream HOST:PORT is required");
        }
        return new Options(listen, upstream, List.copyOf(faults), direction, connection);
    }

    static void apply(FaultProxy proxy, Options o) {
        FaultScope scope = o.connection() > 0 ? proxy.onConnection(o.connection()) : proxy.everyConnection();
        List<Faults> targets = switch (o.direction()) {
            case "down" -> List.of(scope.downstream());
            case "both" -> List.of(scope.upstream(), scope.downstream());
            default -> List.of(scope.upstream());
        };
        long seed = 1;
        for (int i = 0; i < o.faults().size(); i += 2) {
            if (o.faults().get(i).equals("--seed")) {
                seed = Long.parseLong(o.faults().get(i + 1));
            }
        }
        for (int i = 0; i < o.faults().size(); i += 2) {
            String flag = o.faults().get(i);
            String value = o.faults().get(i + 1);
            if (flag.equals("--delay")) {
                proxy.delay(Durations.parse(value));
                continue;
            }
            for (Faults f : targets) {
                switch (flag) {
                    case "--drop-after" -> f.dropAfterBytes(ByteSizes.parse(value));
                    case "--stall-after" -> f.stallAfterBytes(ByteSizes.parse(value));
                    case "--flip-at" -> f.flipByteAt(ByteSizes.parse(value));
                    case "--flip-every" -> f.flipEvery(ByteSizes.parse(value));
                    case "--flip-rate" -> f.flipRandomly(Double.parseDouble(value), seed);
                    default -> {
                        // --seed, read above
                    }
                }
            }
        }
    }

    /** Runs one stdin command; returns the line to print. */
    static String command(FaultProxy proxy, String line) {
        String[] w = line.split("\\s+");
        try {
            return switch (w[0]) {
                case "stall" -> {
                    proxy.stall();
                    yield "stalled";
                }
                case "resume" -> {
                    proxy.resume();
                    yield "resumed";
                }
                case "kill" -> "killed " + proxy.killAll();
                case "refuse" -> {
                    proxy.refuseConnections(w.length > 1 && w[1].equals("on"));
                    yield "refusing " + (w.length > 1 && w[1].equals("on"));
                }
                case "drop-after" -> {
                    proxy.dropAfterBytes(ByteSizes.parse(w[1]));
                    yield "drop-after " + ByteSizes.parse(w[1]);
                }
                case "clear" -> {
                    proxy.everyConnection().clear();
                    yield "cleared";
                }
                case "stats" -> "stats " + proxy.stats().line();
                default -> "unknown command '" + line + "': stall, resume, kill, refuse on|off, drop-after N, clear, stats";
            };
        } catch (RuntimeException e) {
            return "error " + e.getMessage();
        }
    }

    private static InetSocketAddress address(String s) {
        HostPort hp = HostPort.parse(s);
        return new InetSocketAddress(hp.host(), hp.port());
    }
}
