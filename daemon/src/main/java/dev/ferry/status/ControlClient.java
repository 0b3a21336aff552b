package dev.ferry.status;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The other end of {@link ControlServer}: asks a running ferry for its status. Runs on the caller's thread; the
 * whole exchange has one deadline.
 */
public final class ControlClient {
    /** The largest answer taken (a snapshot with thousands of parked files stays far below it). */
    static final int MAX_ANSWER = 16 << 20;

    private ControlClient() {
    }

    /**
     * The JSON a daemon answers at {@code socket}.
     *
     * @throws NotAnswering if nothing answers there (no file, nothing listening, or no answer in time)
     */
    public static String fetchJson(Path socket, Duration timeout) throws NotAnswering {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DeadlineIo io = new DeadlineIo(channel, timeout);
            io.writeAll(ByteBuffer.wrap((ControlServer.REQUEST + "\n").getBytes(StandardCharsets.UTF_8)));
            String answer = new String(io.readAll(MAX_ANSWER), StandardCharsets.UTF_8).strip();
            if (answer.isEmpty()) {
                throw new NotAnswering(socket, "it closed the connection without an answer");
            }
            return answer;
        } catch (NotAnswering e) {
            throw e;
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (why.contains("Permission denied")) {
                why += ": the control socket is for the daemon's user only; run this as that user (e.g. sudo -u ferry)"
                        + " or as root";
            }
            throw new NotAnswering(socket, why);
        }
    }

    /** The snapshot a daemon answers at {@code socket}. */
    public static DaemonStatus fetch(Path socket, Duration timeout) throws IOException {
        return StatusJson.read(fetchJson(socket, timeout));
    }

    /** Nothing at the control socket answered; the message says where and why. */
    public static final class NotAnswering extends IOException {
        private static final long serialVersionUID = 1L;

        NotAnswering(Path socket, String why) {
            super("no ferry daemon answers at " + socket + " (is it running? " + why + ")");
        }
    }
}
