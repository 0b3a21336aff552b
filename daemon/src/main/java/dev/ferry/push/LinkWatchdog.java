package dev.ferry.push;

import dev.ferry.logging.Human;
import dev.ferry.wire.Frame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline of the writer's blocking socket writes: a write to a dead link blocks until the kernel gives up (many
 * minutes), and the writer cannot check its own deadline meanwhile. While a plan is under way and the receiver has
 * sent nothing for the read timeout, this closes the socket, which fails the write at once. Between plans it keeps
 * the session alive: a PING after {@code keepAlive} of silence (the receiver answers PONG and does not drop us as
 * idle), and the socket closed when even those go unanswered for the read timeout (a dead link is then found before
 * the next plan, not by it). Runs on a thread of its own ({@link #start}) until {@link #stop}.
 */
final class LinkWatchdog {
    private static final Logger log = LoggerFactory.getLogger(LinkWatchdog.class);

    private final PushSettings settings;
    private final ReceiverSilence silence;
    private final FrameOut out;
    private final Runnable closeSocket;
    private final String target;
    private volatile boolean stopped;
    private Thread thread;

    /** @param closeSocket closes the link's socket, failing a blocked write or read at once */
    LinkWatchdog(PushSettings settings, ReceiverSilence silence, FrameOut out, Runnable closeSocket, String target) {
        this.settings = settings;
        this.silence = silence;
        this.out = out;
        this.closeSocket = closeSocket;
        this.target = target;
    }

    void start() {
        thread = settings.threads().start("ferry-push-watchdog", this::watch);
    }

    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void watch() {
        long keepAliveNs = settings.keepAlive().toNanos();
        long period = Math.max(10, Math.min(settings.readTimeout().toMillis() / 8, settings.keepAlive().toMillis() / 2));
        try {
            while (!stopped) {
                Thread.sleep(period);
                boolean busy = silence.busy();
                if (silence.silentNs() > settings.readTimeout().toNanos() + (busy ? 0 : keepAliveNs)) {
                    log.info("receiver {} sent nothing for {} {}: closing the connection", target,
                            Human.duration(settings.readTimeout()),
                            busy ? "while a push was under way" : "(not even a PONG)");
                    closeSocket.run();
                    return;
                }
                if (!busy && out.quietNs() >= keepAliveNs) {
                    try {
                        out.send(new Frame.Ping(System.nanoTime()));
                    } catch (IOException e) {
                        closeSocket.run(); // the next plan finds the session broken and opens another
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
