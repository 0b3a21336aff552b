package dev.ferry.cli;

import dev.ferry.status.Version;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Entry point of {@code ferry.jar}: picks the verb, parses its arguments, maps the outcome to an exit code. */
public final class Main {

    /** Every verb, in the overview's order (the man page and the bash completion are checked against them). */
    static final List<Verb> VERBS = List.of(new DaemonCommand(), new ReceiveCommand(), new PushCommand(),
            new StatusCommand(), new CheckConfigCommand(), new KeygenCommand(), new IdCommand(), new DemoCommand());

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (args.length == 0) {
            err.println("ferry: missing command: " + String.join(", ", VERBS.stream().map(Verb::name).toList()));
            err.print(overview());
            return ExitCode.USAGE;
        }
        switch (args[0]) {
            case "-h", "--help" -> {
                out.print(overview());
                return ExitCode.OK;
            }
            case "help" -> {
                return help(Arrays.asList(args).subList(1, args.length), out, err);
            }
            case "-V", "--version", "version" -> {
                out.println(version());
                return ExitCode.OK;
            }
            default -> {
            }
        }
        Verb verb = VERBS.stream().filter(v -> v.name().equals(args[0])).findFirst().orElse(null);
        if (verb == null) {
            err.println("ferry: unknown command '" + args[0] + "'");
            err.print(overview());
            return ExitCode.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(verb.usage());
            return ExitCode.OK;
        }
        try {
            Set<String> flags = new HashSet<>(verb.flags());
            return verb.run(Args.parse(verb.name(), rest, verb.options(), flags));
        } catch (UsageException e) {
            err.println("ferry: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (Exception e) {
            err.println("ferry: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCode.FAILED;
        }
    }

    /** {@code ferry help [COMMAND]}: the overview, or the same text as {@code ferry COMMAND --help}. */
    private static int help(List<String> rest, PrintStream out, PrintStream err) {
        if (rest.isEmpty()) {
            out.print(overview());
            return ExitCode.OK;
        }
        if (rest.size() > 1) {
            err.println("ferry: help takes one command at most (got " + String.join(" ", rest) + ")");
            return ExitCode.USAGE;
        }
        Verb verb = VERBS.stream().filter(v -> v.name().equals(rest.getFirst())).findFirst().orElse(null);
        if (verb == null) {
            err.println("ferry: no help for unknown command '" + rest.getFirst() + "' (commands: "
                    + String.join(", ", VERBS.stream().map(Verb::name).toList()) + ")");
            return ExitCode.USAGE;
        }
        out.print(verb.usage());
        return ExitCode.OK;
    }

    static String overview() {
        StringBuilder b = new StringBuilder("""
                Usage: ferry COMMAND [OPTIONS]
                Keeps folders in sync between hosts: pushes files in checksummed chunks to a ferry receiver.

                Commands:
                """);
        for (Verb v : VERBS) {
            b.append(String.format("  %-13s %s%n", v.name(), v.summary()));
        }
        b.append("""

                ferry help COMMAND (or ferry COMMAND --help) shows a command's options;
                ferry --version the version.
                Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.
                """);
        return b.toString();
    }

    /** {@code ferry VERSION (protocol 1, Java ...)}, VERSION being the pom's ({@link Version}). */
    static String version() {
        return "ferry " + Version.number() + " (protocol 1, Java " + Runtime.version() + ")";
    }
}
