package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authentication proof of the handshake: {@code HMAC-SHA256(token, label | clientNonce | serverNonce | folder)}.
 * Both nonces are in the MAC so that neither side can replay an old exchange; the folder is in it so that a
 * proof for one folder does not open another.
 */
public final class Proof {
    public static final int LENGTH = 32;
    private static final byte[] LABEL = "ferry/1 auth\0".getBytes(StandardCharsets.US_ASCII);

    private Proof() {
    }

    public static byte[] compute(Token token, byte[] clientNonce, byte[] serverNonce, String folder) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token.secret(), "HmacSHA256"));
            mac.update(LABEL);
            mac.update(clientNonce);
            mac.update(serverNonce);
            mac.update(folder.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** Constant-time comparison, so that timing does not leak how many bytes matched. */
    public static boolean verify(Token token, byte[] clientNonce, byte[] serverNonce, String folder, byte[] proof) {
        return MessageDigest.isEqual(compute(token, clientNonce, serverNonce, folder), proof);
    }
}
