package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authentication proof of the handshake: {@code HMAC-SHA256(token, label | clientNonce | serverNonce | folder)}.
 * Both nonces are in the MAC so that neither side can replay an old exchange; the folder is in it so that a
 * proof for one folder does not open another.
 */
public final class Proof {
    public static final int LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "ferry/1 auth\0".getBytes(StandardCharsets.US_ASCII);

    private Proof() {
    }

    /**
     * Sets up, on a thread of its own, what the handshake will need: the JDK's security providers (HMAC-SHA256 here,
     * the nonce's {@link SecureRandom} in the sender). Their first use in a process costs tens of milliseconds (the
     * providers build their tables, JCE checks its policy), which a one-shot push would otherwise wait for at the handshake; started at launch, it runs while
     * the push reads its options, lists the source and connects. Anything that fails here fails again, and is
     * reported, where it is used.
     */
    public static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("ferry-crypto-setup").start(() -> {
            try {
                Mac.getInstance(ALGORITHM).init(new SecretKeySpec(new byte[32], ALGORITHM));
                new SecureRandom().nextInt();
            } catch (GeneralSecurityException | RuntimeException e) {
                // reported by compute() or by the nonce's SecureRandom, on the thread that needs them
            }
        });
    }

    public static byte[] compute(Token token, byte[] clientNonce, byte[] serverNonce, String folder) {
        return hmacSha256(token.secret(), LABEL, clientNonce, serverNonce, folder.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of the concatenated {@code parts}, by {@code javax.crypto.Mac}. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
        }
    }

    /** Constant-time comparison, so that timing does not leak how many bytes matched. */
    public static boolean verify(Token token, byte[] clientNonce, byte[] serverNonce, String folder, byte[] proof) {
        return MessageDigest.isEqual(compute(token, clientNonce, serverNonce, folder), proof);
    }
}
