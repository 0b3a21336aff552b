package dev.ferry.auth;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this host's one key and certificate, whoever asks. Instead of a PKCS#12 key store, whose in-memory entry
 * the JDK encrypts with PBKDF2 (10,000 rounds of HMAC-SHA256, interpreted in a short-lived push: a third of a
 * second of CPU at every start) only to decrypt it again.
 */
final class OwnKey extends X509ExtendedKeyManager {
    private static final String ALIAS = "ferry";
    private final Identity me;

    OwnKey(Identity me) {
        this.me = me;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return matches(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return matches(keyType) ? ALIAS : null;
    }

    /** The server side is asked per key type (EC, RSA...): only ours. */
    private boolean matches(String keyType) {
        return keyType == null || keyType.equals(me.key().getAlgorithm())
                || keyType.startsWith(me.key().getAlgorithm() + "_"); // e.g. EC_EC in older suites' names
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? new X509Certificate[] {me.certificate()} : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? me.key() : null;
    }
}
