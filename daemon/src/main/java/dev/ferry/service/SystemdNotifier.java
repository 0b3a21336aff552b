package dev.ferry.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells systemd how the daemon is doing, for {@code Type=notify} units (systemd/ferry.service): one datagram per
 * event to the socket {@code $NOTIFY_SOCKET} names, in the text form of {@code sd_notify(3)}. The exact messages:
 *
 * <pre>
 * ready(status)   READY=1\nSTATUS=&lt;status&gt;                 started, or a reload finished
 * status(status)  STATUS=&lt;status&gt;                          what {@code systemctl status} shows
 * reloading()     RELOADING=1\nMONOTONIC_USEC=&lt;now&gt;        a reload begins; {@code ready} ends it
 * stopping()      STOPPING=1\nSTATUS=stopping
 * </pre>
 *
 * A status is one line ({@code 2 pairs, receiver on 0.0.0.0:7878}): line breaks become spaces, as a newline would
 * start another assignment. {@code MONOTONIC_USEC} is {@code CLOCK_MONOTONIC} in microseconds read from libc (not
 * the injected {@code FerryClock}: systemd compares it with its own clock, and a reading is not a decision of ours);
 * systemd 253's {@code Type=notify-reload} needs it with {@code RELOADING=1}, older versions ignore it.
 *
 * <p>Without {@code $NOTIFY_SOCKET} (not started by systemd, or not as {@code Type=notify}) every method does
 * nothing. A value that is not a Unix socket address, or a send that fails, is logged as a WARN and otherwise
 * ignored, as {@code sd_notify}'s callers do: the daemon keeps running, and systemd acts on the missing READY=1
 * by its own timeout. Threads: the main thread (ready), the shutdown hook (stopping) and a reload; the methods are
 * synchronized so the messages leave in the order they were asked for.
 */
public final class SystemdNotifier {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final String VARIABLE = "NOTIFY_SOCKET";

    /** Null: nothing to notify. */
    private final NotifyAddress address;

    private SystemdNotifier(NotifyAddress address) {
        this.address = address;
    }

    /** The notifier of this process: to {@code $NOTIFY_SOCKET}, or one that does nothing when it is unset or empty. */
    public static SystemdNotifier fromEnvironment() {
        return to(System.getenv(VARIABLE));
    }

    /** A notifier to the socket {@code value} names ({@code /path} or {@code @abstract}); null or "" for none. */
    static SystemdNotifier to(String value) {
        if (value == null || value.isEmpty()) {
            return new SystemdNotifier(null);
        }
        try {
            return new SystemdNotifier(NotifyAddress.parse(value));
        } catch (IllegalArgumentException e) {
            log.warn("{}; not notifying systemd", e.getMessage());
            return new SystemdNotifier(null);
        }
    }

    /** Whether messages go anywhere. */
    public boolean enabled() {
        return address != null;
    }

    /** The daemon is up (after start, or after a reload): {@code READY=1} with a one-line status. */
    public synchronized void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** A new one-line status. */
    public synchronized void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    /** A reload of the config begins; call {@link #ready} when it has ended, whether it worked or not. */
    public synchronized void reloading() {
        if (address == null) {
            return;
        }
        try {
            send("RELOADING=1\nMONOTONIC_USEC=" + UnixDatagram.monotonicMicros());
        } catch (IOException | RuntimeException | LinkageError e) {
            log.warn("could not notify systemd at {}={}: {}", VARIABLE, address, e.toString());
        }
    }

    /** The daemon begins to stop. */
    public synchronized void stopping() {
        send("STOPPING=1\nSTATUS=stopping");
    }

    private void send(String message) {
        if (address == null) {
            return;
        }
        try {
            UnixDatagram.send(address, message.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: the FFM handles could not be made (no native access granted, not Linux)
            log.warn("could not notify systemd at {}={}: {}", VARIABLE, address,
                    e instanceof IOException ? e.getMessage() : e.toString());
        }
    }

    private static String oneLine(String status) {
        return status.replace('\r', ' ').replace('\n', ' ').strip();
    }
}
