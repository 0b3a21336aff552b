package dev.ferry.cli;

import dev.ferry.daemon.Daemon;
import dev.ferry.status.DaemonStatus;
import dev.ferry.status.PairStatus;
import dev.ferry.status.TargetStatus;
import java.io.PrintStream;

/**
 * The demo's {@code ferry status} section: the one call site that shows the running daemon's snapshot.
 *
 * <p>INTERIM: the control socket and the human table of {@code ferry status} are being written on another branch
 * (status/ControlServer, cli/StatusTable); until they are merged this prints a stand-in line per target from
 * {@link Daemon#status()}. Once they are: start the ControlServer on a socket in the demo folder and print what the
 * status command's client code renders from it.
 */
final class DemoStatusSection {
    private DemoStatusSection() {
    }

    static void print(Daemon daemon, PrintStream out) {
        DaemonStatus status = daemon.status();
        out.println("ferry status (a stand-in until the status table lands):");
        for (PairStatus pair : status.pairs()) {
            for (TargetStatus t : pair.targets()) {
                out.println("  " + pair.source() + " -> " + t.target() + ": " + t.state().label() + ", "
                        + t.counters().filesSent() + " files sent (" + ProgressLine.size(t.counters().bytesSent()) + "), "
                        + DemoSteps.count(t.counters().renames(), "rename") + ", "
                        + DemoSteps.count(t.counters().deletes(), "delete"));
            }
        }
    }
}
