package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Small facts about key pairs. */
final class Keys {
    /** Signatures of ECDSA P-256 keys, what {@code ferry keygen} makes. */
    static final String SIGNATURE = "SHA256withECDSA";

    private Keys() {
    }

    /** Whether {@code key} is the private half of {@code pub}: a signature made with one verifies with the other. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        try {
            byte[] probe = "ferry identity check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(SIGNATURE);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(SIGNATURE);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
