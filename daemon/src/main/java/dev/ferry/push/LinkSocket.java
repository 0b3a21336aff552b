package dev.ferry.push;

import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Tls;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * A sender's connection to its receiver, before any frame: TCP, then, when the settings pin the receiver, the TLS 1.3
 * handshake ({@link Tls#connect}) under the connect timeout. Its failures become {@link PushException}s that say
 * what is wrong: the receiver presented another key (a credentials refusal: retrying will not help), or it does not
 * speak TLS at all. Runs on the session's writer thread.
 *
 * @param raw    the TCP socket: closing it fails any blocked read or write at once, TLS or not
 * @param framed what frames are read and written on: {@code raw} itself, or the TLS socket over it
 */
record LinkSocket(Socket raw, Socket framed) {

    static LinkSocket open(PushSettings settings) throws PushException {
        Socket raw = null;
        try {
            raw = SocketChannel.open().socket();
            raw.connect(new InetSocketAddress(settings.host(), settings.port()), (int) settings.connectTimeout().toMillis());
            if (settings.pin().isEmpty()) {
                return new LinkSocket(raw, raw);
            }
            return new LinkSocket(raw, handshake(raw, settings, settings.pin().get()));
        } catch (IOException e) {
            closeQuietly(raw);
            throw e instanceof PushException pe ? pe
                    : new PushException("connection to " + settings.host() + ":" + settings.port() + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static SSLSocket handshake(Socket raw, PushSettings settings, SenderPin pin) throws IOException {
        String target = settings.host() + ":" + settings.port();
        raw.setSoTimeout((int) settings.connectTimeout().toMillis());
        try {
            return Tls.connect(Tls.clientContext(pin.me(), pin.receiver()), raw, settings.host());
        } catch (SocketTimeoutException e) {
            throw new PushException("TLS handshake with " + target + " timed out after "
                    + settings.connectTimeout().toMillis() + " ms", e);
        } catch (SSLException | EOFException | SocketException e) {
            CertificateException pinFailure = certificateCause(e);
            if (pinFailure != null) {
                throw PushException.credentials(pinFailure.getMessage() + " (at " + target + ")", e);
            }
            if (e.getMessage() != null && e.getMessage().contains("protocol_version")) {
                throw new PushException("receiver at " + target + " refused TLS 1.3: " + e.getMessage(), e);
            }
            // a plaintext receiver reads the first byte of our ClientHello, sees TLS and closes
            throw PushException.credentials("receiver at " + target
                    + " does not speak TLS (is it configured with an identity?): " + e.getMessage(), e);
        }
    }

    private static CertificateException certificateCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException ce) {
                return ce;
            }
        }
        return null;
    }

    void closeQuietly() {
        closeQuietly(raw);
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // failing or closing already
        }
    }
}
