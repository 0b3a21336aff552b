package dev.ferry.cli;

import dev.ferry.config.Durations;
import dev.ferry.time.Deadline;
import dev.ferry.time.FerryClock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How the long-running verbs ({@code daemon}, {@code receive}) answer the signals of an init system:
 * <ul>
 * <li>SIGTERM, SIGINT: an orderly stop (the service's close: stop accepting, sessions closed, journals synced, all
 * within its {@code shutdown-timeout}), then exit status 0. A watchdog armed by the signal exits with status 1 if the
 * process is still there {@link #EXIT_MARGIN} after the shutdown-timeout (a start still scanning, a part that ignores
 * its deadline), so a stop is bounded whatever happens.
 * <li>A second SIGTERM or SIGINT before the stop is over: exit status 1 at once ({@code Runtime.halt}: no more
 * waiting, no shutdown hooks). 1 rather than 130: the stop was cut short, a runtime failure in ferry's exit codes;
 * the journal is then as after a crash, which it is made to recover from.
 * <li>SIGHUP: {@link Service#reload()}; ignored once a stop has begun.
 * </ul>
 *
 * <p>Why {@code sun.misc.Signal}: the JDK has no supported API to handle a signal; a shutdown hook runs on SIGTERM but
 * the exit status is then 143 (130 for SIGINT), and SIGHUP kills the JVM (129). {@code sun.misc.Signal} is exported by
 * the {@code jdk.unsupported} module for exactly this (Netty, Elasticsearch and other JVM daemons use it);
 * {@code jdk.internal.misc.Signal} is not exported, and an FFM {@code sigaction} cannot run Java code inside a signal
 * handler. A {@code jlink}ed runtime must include {@code jdk.unsupported}.
 *
 * <p>Threads: the JVM runs each handler on a short-lived thread of its own ({@code SIGTERM handler}); a handler only
 * queues the signal (or halts on a second stop). The thread that called {@link #install} (main) takes them from the
 * queue in {@link #serve}, so the service is reloaded and closed by the thread that started it.
 */
final class Signals {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);

    /** Past the shutdown-timeout, for the JVM's own exit and what no deadline bounds (a last fsync). */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    /** What {@link #serve} drives. */
    interface Service {
        /** SIGHUP. */
        void reload();

        /** The orderly stop; bounded by {@link #shutdownTimeout()}. */
        void close() throws Exception;

        /** How long {@link #close()} may take (read again after each reload). */
        Duration shutdownTimeout();
    }

    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final FerryClock clock;
    private volatile Duration shutdownTimeout;

    private Signals(Duration shutdownTimeout, FerryClock clock) {
        this.shutdownTimeout = shutdownTimeout;
        this.clock = clock;
    }

    /**
     * Takes over SIGTERM, SIGINT and SIGHUP, before the service starts: a signal during its start is queued (and a
     * stop's watchdog armed) rather than killing the JVM half-way.
     */
    static Signals install(Duration shutdownTimeout) {
        Signals signals = new Signals(shutdownTimeout, FerryClock.system());
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(name), signals::handle);
        }
        return signals;
    }

    /** On the JVM's handler thread. */
    private void handle(Signal signal) {
        String name = "SIG" + signal.getName();
        if (signal.getName().equals("HUP")) {
            if (stopping.get()) {
                log.info("{} ignored: stopping", name);
            } else {
                queue.add(name);
            }
            return;
        }
        if (stopping.getAndSet(true)) {
            log.warn("{} while stopping: exiting at once, status 1", name);
            System.err.flush();
            Runtime.getRuntime().halt(ExitCode.FAILED);
        }
        Duration timeout = shutdownTimeout;
        log.info("{}: stopping (shutdown-timeout {})", name, Durations.format(timeout));
        armWatchdog(timeout);
        queue.add(name);
    }

    private void armWatchdog(Duration timeout) {
        Deadline deadline = clock.deadlineIn(timeout.plus(EXIT_MARGIN));
        Thread.ofPlatform().daemon().name("ferry-stop-watchdog").start(() -> {
            try {
                Thread.sleep(deadline.remaining());
            } catch (InterruptedException e) {
                return;
            }
            log.error("the stop did not end within shutdown-timeout {} (+{}): exiting anyway, status 1",
                    Durations.format(timeout), Durations.format(EXIT_MARGIN));
            System.err.flush();
            Runtime.getRuntime().halt(ExitCode.FAILED);
        });
    }

    /**
     * Runs {@code announce} (the line an operator or a test waits for), then serves the signals on this thread until
     * a stop: returns the exit status, 0 after an orderly stop, 1 if the close failed.
     */
    int serve(Service service, Runnable announce) throws InterruptedException {
        shutdownTimeout = service.shutdownTimeout();
        announce.run();
        while (true) {
            String signal = queue.take();
            if (!signal.equals("SIGHUP")) {
                try {
                    service.close();
                    return ExitCode.OK;
                } catch (Exception e) {
                    log.error("stopping after {} failed: {}", signal, e.toString());
                    return ExitCode.FAILED;
                }
            }
            if (!stopping.get()) {
                service.reload();
                shutdownTimeout = service.shutdownTimeout();
            }
        }
    }
}
