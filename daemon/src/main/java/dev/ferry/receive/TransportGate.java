package dev.ferry.receive;

import dev.ferry.auth.PeerId;
import dev.ferry.auth.Tls;
import dev.ferry.logging.Human;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of every accepted connection, on its session's virtual thread and under the handshake deadline:
 * reads the first byte to tell a TLS ClientHello (a handshake record starts 0x16; no frame can, as its length would
 * be over 350 MiB) from a plaintext frame, then runs the TLS 1.3 handshake when this receiver has an identity. A
 * mismatch is answered fast and plainly: a plaintext sender at a TLS receiver gets a plaintext ERROR frame saying
 * TLS is required; a TLS sender at a plaintext receiver finds the connection closed during its handshake (it says
 * the receiver does not speak TLS). Either way the connection ends here with a {@link Mismatch}.
 */
final class TransportGate {
    private static final Logger log = LoggerFactory.getLogger(TransportGate.class);
    /** The first byte of a TLS record of type handshake. */
    static final int TLS_HANDSHAKE_RECORD = 0x16;
    static final String TLS_REQUIRED = "this receiver requires TLS: configure an identity and pin its ID";
    static final String TLS_UNEXPECTED = "peer speaks TLS but this receiver is plaintext";
    /** How long a refused peer may take to read our answer and close, before we close on it. */
    private static final int DRAIN_MS = 2000;
    /** What a refused peer may still send (a HELLO, a ClientHello and its retries are far less). */
    private static final int DRAIN_BYTES = 64 * 1024;

    /** The two ends disagree on TLS; already answered, the connection is to be closed. */
    static final class Mismatch extends IOException {
        Mismatch(String message) {
            super(message);
        }
    }

    /**
     * A connection ready for frames.
     *
     * @param framed    the socket frames go over: the accepted one, or TLS over it
     * @param readAhead bytes read already that belong to the first frame
     * @param peer      the ID the sender proved in the TLS handshake; null over plaintext
     */
    record Opened(Socket framed, byte[] readAhead, PeerId peer) {
    }

    private final ReceiverSettings settings;
    /** null: plaintext. */
    private final SSLContext tls;

    TransportGate(ReceiverSettings settings) throws IOException {
        this.settings = settings;
        this.tls = settings.identity().isPresent() ? Tls.serverContext(settings.identity().get()) : null;
    }

    boolean encrypted() {
        return tls != null;
    }

    Opened open(Socket raw) throws IOException {
        raw.setSoTimeout(Math.toIntExact(Math.max(1, settings.handshakeTimeout().toMillis())));
        InputStream in = raw.getInputStream();
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            // as the session says it of a peer silent before authentication (DEBUG: a flood of them is no news), in
            // the one language both kinds of peer can read
            String silent = Human.duration(settings.handshakeTimeout());
            log.debug("dropping peer={}: no handshake within {}", peer(raw), silent);
            try (FrameChannel plain = new FrameChannel(raw, settings.limits())) {
                plain.send(new Frame.Error(ErrorCode.TIMEOUT, 0, "handshake not completed within " + silent));
            } catch (IOException ignored) {
                // the peer may be gone; the close is what matters
            }
            throw e;
        }
        if (first < 0) {
            throw new EOFException("closed before its first byte");
        }
        byte[] consumed = {(byte) first};
        boolean tlsRecord = first == TLS_HANDSHAKE_RECORD;
        if (tls == null) {
            if (tlsRecord) {
                drainAndClose(raw);
                throw new Mismatch(TLS_UNEXPECTED);
            }
            return new Opened(raw, consumed, null);
        }
        if (!tlsRecord) {
            try (FrameChannel plain = new FrameChannel(raw, settings.limits())) {
                plain.send(new Frame.Error(ErrorCode.AUTH_FAILED, 0, TLS_REQUIRED));
                drainAndClose(raw);
            }
            throw new Mismatch("peer speaks plaintext but this receiver requires TLS (told it so)");
        }
        SSLSocket secured = Tls.accept(tls, raw, consumed);
        return new Opened(secured, new byte[0], Tls.peerId(secured));
    }

    private static String peer(Socket raw) {
        return raw.getInetAddress().getHostAddress() + ":" + raw.getPort();
    }

    /**
     * Ends our side and waits (briefly) for the peer to close, reading what it still sends: closing with unread
     * bytes would reset the connection, and the peer might lose our answer to the reset.
     */
    private static void drainAndClose(Socket raw) {
        try {
            raw.shutdownOutput();
            raw.setSoTimeout(DRAIN_MS);
            InputStream in = raw.getInputStream();
            byte[] sink = new byte[4096];
            int budget = DRAIN_BYTES; // a bound in bytes as well as per read: a trickling peer cannot hold us
            for (int n; budget > 0 && (n = in.read(sink)) >= 0; ) {
                budget -= Math.max(n, 1);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
