package dev.ferry.auth;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust by pinned key, not by certificate authority: a sender accepts the receiver only if its certificate's key has
 * the {@link PeerId} it was told to expect; a receiver accepts any client certificate (the TLS handshake proves the
 * client holds its key) and decides per folder, after the client names one, whether that ID may write it. Names,
 * dates and issuers in the certificates are not looked at: the key is the identity.
 */
final class PinnedTrust extends X509ExtendedTrustManager {
    private static final X509Certificate[] NONE = new X509Certificate[0];

    /** The receiver's ID a sender expects; null on the receiver's side. */
    private final PeerId expectedServer;

    private PinnedTrust(PeerId expectedServer) {
        this.expectedServer = expectedServer;
    }

    /** A sender's: the receiver must present {@code expected}. */
    static PinnedTrust expecting(PeerId expected) {
        return new PinnedTrust(expected);
    }

    /** A receiver's: any client that proves a key; authorization comes per folder. */
    static PinnedTrust anyClient() {
        return new PinnedTrust(null);
    }

    private static PeerId presented(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        return PeerId.of(chain[0].getPublicKey());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (expectedServer == null) {
            throw new CertificateException("this side is a receiver: it does not check receivers");
        }
        PeerId got = presented(chain);
        if (!got.equals(expectedServer)) {
            throw new CertificateException("receiver presented ID " + got + ", expected " + expectedServer);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        presented(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NONE;
    }
}
