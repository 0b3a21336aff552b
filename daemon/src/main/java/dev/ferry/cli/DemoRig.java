package dev.ferry.cli;

import dev.ferry.auth.Token;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryUri;
import dev.ferry.config.HostPort;
import dev.ferry.config.ReceiveConfig;
import dev.ferry.config.SyncConfig;
import dev.ferry.daemon.Daemon;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.status.ControlServer;
import dev.ferry.status.DaemonStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo runs, in this process: a {@link Receiver} on 127.0.0.1 serving {@code target/} as folder 'demo', and a
 * {@link Daemon} with one sync pair, {@code source/} to that folder, as {@code ferry daemon} would run them from two
 * config files. {@link #dropLink} stops the receiver and starts it again on the same port, as a restarted receiver
 * host would be. A control socket answers {@code ferry status} where a daemon run from the demo folder's
 * {@code ferry.yaml} would bind it ({@code state/control.sock}), with the daemon's snapshot and the receiver's, as
 * such a daemon (with its receive section) would report them.
 *
 * <p>Started, dropped and closed by the demo's thread; {@link #close} may also come from the shutdown hook of a
 * Ctrl-C, hence synchronized and idempotent.
 */
final class DemoRig implements AutoCloseable {
    static final String FOLDER = "demo";

    private final DemoFolder folder;
    private final Token token;
    private final int port;
    private Receiver receiver;
    private Daemon daemon;
    private ControlServer control;
    /** Why there is no control socket (e.g. a --dir path too long for one), or null. */
    private String controlFailure;
    private boolean closed;

    private DemoRig(DemoFolder folder, Token token, Receiver receiver) {
        this.folder = folder;
        this.token = token;
        this.receiver = receiver;
        this.port = receiver.address().getPort();
    }

    /** Starts the receiver on a free port (the daemon comes with {@link #startDaemon}). */
    static DemoRig start(DemoFolder folder) throws IOException {
        Token token = Token.read(folder.token());
        return new DemoRig(folder, token, Receiver.start(settings(folder, token, 0)));
    }

    private static ReceiverSettings settings(DemoFolder folder, Token token, int port) {
        return ReceiveCommand.settings(ReceiveConfig.defaults(new HostPort("127.0.0.1", port), folder.token(),
                Map.of(FOLDER, folder.target())), token);
    }

    /** Starts the daemon: it scans {@code source/}, brings the target up to date, then watches. */
    synchronized void startDaemon() throws IOException {
        SyncConfig pair = SyncConfig.defaults(folder.source(), List.of(new FerryUri("127.0.0.1", port, FOLDER, "")),
                folder.token());
        FerryConfig config = new FerryConfig(folder.config(), folder.state(), Optional.empty(), List.of(pair));
        daemon = Daemon.start(config, ReceiveCommand::settings);
        try {
            control = ControlServer.start(ControlSocketPaths.forDaemon(null, folder.state()), this::status);
        } catch (IOException e) {
            controlFailure = e.getMessage(); // the demo goes on; its status section says so
        }
    }

    /** What the daemon and the receiver are doing now (any thread: the control socket's asks). */
    synchronized DaemonStatus status() {
        DaemonStatus d = daemon.status();
        return new DaemonStatus(d.version(), d.pid(), d.startedAt(), d.takenAt(), d.pairs(), receiver.status(),
                d.transferLatency());
    }

    /** The control socket {@code ferry status} can ask, or null (then {@link #controlFailure} says why). */
    synchronized Path controlSocket() {
        return control == null ? null : control.path();
    }

    synchronized String controlFailure() {
        return controlFailure;
    }

    /** Closes the receiver (every connection drops, partial files stay) and starts it again on the same port. */
    synchronized void dropLink() throws IOException {
        receiver.close();
        receiver = Receiver.start(settings(folder, token, port));
    }

    synchronized Receiver receiver() {
        return receiver;
    }

    synchronized Daemon daemon() {
        return daemon;
    }

    int port() {
        return port;
    }

    String uri() {
        return "ferry://127.0.0.1:" + port + "/" + FOLDER;
    }

    /** Stops the control socket, the daemon, then the receiver; a failure of one does not skip the others. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try {
            if (control != null) {
                control.close(); // first: no status of a daemon half stopped
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            if (daemon != null) {
                daemon.close();
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        try {
            receiver.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
