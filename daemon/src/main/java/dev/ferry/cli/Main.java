package dev.ferry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ferry.jar}. */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Keeps folders in sync between hosts: pushes files in checksummed chunks to a ferry receiver.",
        subcommands = {ReceiveCommand.class, PushCommand.class, CheckConfigCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException u) {
                cmd.getErr().println("ferry: " + u.getMessage());
                return USAGE;
            }
            cmd.getErr().println("ferry: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: receive, push, check-config or demo");
    }

    /** A problem with what the user asked for (bad flag value, bad config): exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (v == null ? "dev" : v) + " (protocol 1, Java " + Runtime.version() + ")"};
        }
    }
}
