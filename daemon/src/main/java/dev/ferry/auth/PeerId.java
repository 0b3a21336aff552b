package dev.ferry.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Locale;

/**
 * A host's ID: the first 160 bits of the SHA-256 of its certificate's public key (DER SubjectPublicKeyInfo), in
 * RFC 4648 base32, in eight groups of four, e.g. {@code MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT}. Printable, short
 * enough to read over the phone, and it names the key, not the certificate: a certificate re-issued for the same key
 * keeps its ID. 160 bits leave a forger a second-preimage search of 2^160.
 *
 * @param text the canonical form (upper case, with the dashes)
 */
public record PeerId(String text) {
    static final int BITS = 160;
    private static final int CHARS = BITS / 5;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public PeerId {
        if (!text.equals(canonical(text))) {
            throw new IllegalArgumentException("not a canonical ferry ID: " + text);
        }
    }

    /** The ID of whoever holds the private key of {@code key}. */
    public static PeerId of(PublicKey key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        StringBuilder b = new StringBuilder(CHARS + CHARS / 4);
        for (int i = 0; i < CHARS; i++) {
            if (i > 0 && i % 4 == 0) {
                b.append('-');
            }
            b.append(ALPHABET.charAt(fiveBits(digest, i * 5)));
        }
        return new PeerId(b.toString());
    }

    /**
     * An ID as a user typed it: case and dashes (and spaces) do not matter.
     *
     * @throws IllegalArgumentException naming what is wrong, without echoing more than the ID itself
     */
    public static PeerId parse(String typed) {
        return new PeerId(canonical(typed));
    }

    private static String canonical(String typed) {
        String bare = typed.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (bare.length() != CHARS) {
            throw new IllegalArgumentException("'" + typed + "' is not a ferry ID: it must have " + CHARS
                    + " letters and digits (A-Z, 2-7), in groups of 4 (ferry id DIR prints one)");
        }
        StringBuilder b = new StringBuilder(CHARS + CHARS / 4);
        for (int i = 0; i < CHARS; i++) {
            char c = bare.charAt(i);
            if (ALPHABET.indexOf(c) < 0) {
                throw new IllegalArgumentException("'" + typed + "' is not a ferry ID: '" + c
                        + "' is not one of A-Z, 2-7");
            }
            if (i > 0 && i % 4 == 0) {
                b.append('-');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Bits {@code bit} to {@code bit + 4} of {@code bytes}, most significant first. */
    private static int fiveBits(byte[] bytes, int bit) {
        int word = ((bytes[bit / 8] & 0xff) << 8) | (bit / 8 + 1 < bytes.length ? bytes[bit / 8 + 1] & 0xff : 0);
        return (word >>> (11 - bit % 8)) & 0x1f;
    }

    @Override
    public String toString() {
        return text;
    }
}
