package dev.ferry.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A shared secret read from a token file. The token proves itself with an HMAC over nonces
 * ({@link Proof}); it never crosses the wire and never appears in logs ({@link #toString()} is redacted).
 *
 * <p>File format: the whole file, with trailing whitespace (a final newline) removed. At least
 * {@value #MIN_LENGTH} bytes, so that a forgotten or truncated file is not a usable secret.
 */
public final class Token {
    public static final int MIN_LENGTH = 16;
    /** Token files are small; refuse to read a big file by mistake (a disk image named as the token). */
    public static final int MAX_FILE_SIZE = 64 * 1024;

    private final byte[] secret;

    private Token(byte[] secret) {
        this.secret = secret;
    }

    public static Token of(String secret) {
        return of(secret.getBytes(StandardCharsets.UTF_8));
    }

    public static Token of(byte[] secret) {
        if (secret.length < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "token is " + secret.length + " bytes, needs at least " + MIN_LENGTH);
        }
        return new Token(secret.clone());
    }

    /**
     * Reads a token file, which only its owner may read ({@link SecretFiles}).
     *
     * @throws IOException with a message that names the file and says what is wrong with it
     */
    public static Token read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("token file " + file + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IOException("token file " + file + " is not readable");
        }
        SecretFiles.checkOwnerOnly(file, "token file");
        long size = Files.size(file);
        if (size > MAX_FILE_SIZE) {
            throw new IOException("token file " + file + " is " + size + " bytes, more than " + MAX_FILE_SIZE);
        }
        byte[] raw = Files.readAllBytes(file);
        int end = raw.length;
        while (end > 0 && Character.isWhitespace(raw[end - 1])) {
            end--;
        }
        if (end < MIN_LENGTH) {
            throw new IOException("token file " + file + " holds " + end
                    + " bytes, needs at least " + MIN_LENGTH + " (e.g. `head -c 32 /dev/urandom | base64 > " + file + "`)");
        }
        return new Token(Arrays.copyOf(raw, end));
    }

    byte[] secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "Token[redacted]";
    }
}
