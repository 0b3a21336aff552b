package dev.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

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

    /**
     * Sets up, on a thread of its own, what the handshake will need: the JDK's security providers (SHA-256 here, the
     * nonce's {@link SecureRandom} in the sender). Their first use in a process costs ~20 ms (the Sun provider builds
     * its tables), which a one-shot push would otherwise wait for at the handshake; started at launch, it runs while
     * the push reads its options, lists the source and connects. Anything that fails here fails again, and is
     * reported, where it is used.
     */
    public static void prepareInBackground() {
        Thread.ofPlatform().daemon().name("ferry-crypto-setup").start(() -> {
            try {
                MessageDigest.getInstance("SHA-256");
                new SecureRandom().nextInt();
            } catch (GeneralSecurityException | RuntimeException e) {
                // reported by compute() or by the nonce's SecureRandom, on the thread that needs them
            }
        });
    }

    public static byte[] compute(Token token, byte[] clientNonce, byte[] serverNonce, String folder) {
        return hmacSha256(token.secret(), LABEL, clientNonce, serverNonce, folder.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * HMAC-SHA256 (RFC 2104) of the concatenated {@code parts}, on {@link MessageDigest}. Not {@code javax.crypto.Mac}:
     * its first use in a process costs ~25 ms more (JCE policy and provider set-up), and every one-shot push pays it.
     */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        int block = 64;
        byte[] k = key.length > block ? sha.digest(key) : key;
        byte[] inner = new byte[block];
        byte[] outer = new byte[block];
        for (int i = 0; i < block; i++) {
            byte b = i < k.length ? k[i] : 0;
            inner[i] = (byte) (b ^ 0x36);
            outer[i] = (byte) (b ^ 0x5c);
        }
        sha.update(inner);
        for (byte[] part : parts) {
            sha.update(part);
        }
        byte[] innerHash = sha.digest();
        sha.update(outer);
        return sha.digest(innerHash);
    }

    /** Constant-time comparison, so that timing does not leak how many bytes matched. */
    public static boolean verify(Token token, byte[] clientNonce, byte[] serverNonce, String folder, byte[] proof) {
        return MessageDigest.isEqual(compute(token, clientNonce, serverNonce, folder), proof);
    }
}
