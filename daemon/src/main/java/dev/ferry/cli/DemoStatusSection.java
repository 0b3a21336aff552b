package dev.ferry.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's {@code ferry status} section, through the real parts: the status command itself asks the demo's control
 * socket ({@link DemoRig#controlSocket}) and prints its table, as {@code ferry status --config DIR/ferry.yaml} would.
 * Without a socket (one that could not be bound) it prints the same table from the snapshot, and says why.
 */
final class DemoStatusSection {
    private DemoStatusSection() {
    }

    /** Returns the status command's exit code (0 when it printed the table). */
    static int print(DemoRig rig, DemoFolder folder, PrintStream out) throws IOException {
        Path socket = rig.controlSocket();
        if (socket == null) {
            out.println("ferry status (no control socket: " + rig.controlFailure() + "):");
            StatusTable.render(rig.status()).forEach(out::println);
            return ExitCode.OK;
        }
        out.println("ferry status --config " + folder.config() + ":");
        StatusCommand status = new StatusCommand();
        out.flush();
        return status.run(Args.parse(status.name(), List.of("--socket", socket.toString()), status.options(),
                status.flags()));
    }
}
