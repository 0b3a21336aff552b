package dev.ferry.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * ferry's TLS: the JDK's TLS 1.3 only (1.2 and below are refused), mutual authentication by certificates whose keys
 * are pinned ({@link PinnedTrust}), no session resumption across connections (each connection does a full
 * handshake: there are few and they are long-lived). Blocking {@link SSLSocket}s, one virtual thread each, like
 * the plain sockets.
 */
public final class Tls {
    static final String PROTOCOL = "TLSv1.3";
    /**
     * TLS 1.3's suites, AES-128-GCM first: as strong as the link needs (128-bit keys, like the IDs' 160-bit hash),
     * and the fastest with the CPU's AES and carry-less multiply instructions (the JDK's default order puts AES-256
     * first). ChaCha20 for a CPU without them.
     */
    static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"};

    private Tls() {
    }

    /** The receiver's side: presents {@code me}, requires a client certificate of any key. */
    public static SSLContext serverContext(Identity me) throws IOException {
        return context(me, PinnedTrust.anyClient());
    }

    /** A sender's side: presents {@code me}, accepts only a receiver presenting {@code expected}. */
    public static SSLContext clientContext(Identity me, PeerId expected) throws IOException {
        return context(me, PinnedTrust.expecting(expected));
    }

    private static SSLContext context(Identity me, PinnedTrust trust) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[] {new OwnKey(me)}, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Wraps a connected socket as the receiver's end and runs the handshake now.
     *
     * @return the TLS socket; {@link #peerId(SSLSocket)} tells who is on the other end
     */
    public static SSLSocket accept(SSLContext context, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.setSSLParameters(parameters(context, true));
        tls.startHandshake();
        return tls;
    }

    /**
     * As {@link #accept(SSLContext, Socket)}, for a socket whose first bytes were read already (to tell a TLS
     * ClientHello from a plaintext frame): they are handed to the TLS engine before the rest.
     */
    public static SSLSocket accept(SSLContext context, Socket plain, byte[] consumed) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain,
                new ByteArrayInputStream(consumed), true);
        tls.setUseClientMode(false);
        tls.setSSLParameters(parameters(context, true));
        tls.startHandshake();
        return tls;
    }

    /** Wraps a connected socket as a sender's end and runs the handshake now (fails if the receiver is not pinned). */
    public static SSLSocket connect(SSLContext context, Socket plain, String host) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        tls.setUseClientMode(true);
        tls.setSSLParameters(parameters(context, false));
        tls.startHandshake();
        return tls;
    }

    private static SSLParameters parameters(SSLContext context, boolean server) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setCipherSuites(SUITES);
        p.setUseCipherSuitesOrder(true);
        if (server) {
            p.setNeedClientAuth(true);
        }
        return p;
    }

    /** The ID of the key the peer proved in the handshake. */
    public static PeerId peerId(SSLSocket tls) throws SSLPeerUnverifiedException {
        return PeerId.of(((X509Certificate) tls.getSession().getPeerCertificates()[0]).getPublicKey());
    }
}
