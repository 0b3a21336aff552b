package dev.ferry.push;

import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Token;
import dev.ferry.logging.Human;
import dev.ferry.wire.HashAlgorithm;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a push talks to its receiver. The configurable values (chunk size, read timeout, chunk attempts, keep-alive)
 * come from the caller, which takes them from the {@code sync:} section's record and its defaults; the rest are this
 * package's own constants.
 *
 * @param maxFilesInFlight  files offered (or being hashed for an offer) and not yet DONE
 * @param maxBytesInFlight  chunk bytes sent and not yet ACKed: bounds memory and the re-send after a drop
 * @param maxChunkAttempts  sends of one chunk before its file is given up (NACKs for CRC or hash mismatch)
 * @param resendBackoff     wait before a refused chunk is sent again (the other files go on meanwhile)
 * @param inlineMaxBytes    files up to this size are sent inline (OFFER, chunks and COMMIT in one flight, no NEED):
 *                          for a caller that knows the receiver lacks them (the daemon); 0: always ask (a one-shot
 *                          push, where most files may be there already)
 * @param keepAlive         a session silent this long sends a PING, between plans too: the receiver drops a peer
 *                          silent for its read timeout, and the sender learns early that a link died
 * @param threads           what the session's reader, watchdog and hashers run on
 * @param token             the shared token proved at AUTH; null only with a {@code pin} (identity mode without
 *                          a token: the TLS key speaks for the sender)
 * @param pin               TLS 1.3 with this identity, to a receiver that must present the pinned ID; empty:
 *                          plaintext (the configured {@code transport: plaintext})
 * @param shaping           compression and bandwidth limit of the target ({@link LinkShaping#NONE} by default)
 */
public record PushSettings(String host, int port, String folder, Token token, int chunkSize, HashAlgorithm algorithm,
                           Duration connectTimeout, Duration readTimeout, int maxFilesInFlight, long maxBytesInFlight,
                           int maxChunkAttempts, Backoff resendBackoff, int inlineMaxBytes,
                           Duration keepAlive, SessionThreads threads, Optional<SenderPin> pin, LinkShaping shaping) {
    public static final Backoff DEFAULT_RESEND_BACKOFF = new Backoff(Duration.ofMillis(20), Duration.ofSeconds(2));
    /** Small enough that sending it again costs less than the round trips of asking. */
    public static final int SMALL_FILE_BYTES = 64 * 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_FILES_IN_FLIGHT = 64;
    public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 32L << 20;

    public PushSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(shaping, "shaping");
        if (token == null && pin.isEmpty()) {
            throw new IllegalArgumentException("a push needs a token, an identity with a pinned receiver, or both");
        }
        Objects.requireNonNull(algorithm, "algorithm");
        if (maxFilesInFlight < 1 || maxBytesInFlight < chunkSize || maxChunkAttempts < 1) {
            throw new IllegalArgumentException("window too small: files=" + maxFilesInFlight + " bytes=" + maxBytesInFlight
                    + " attempts=" + maxChunkAttempts);
        }
        Objects.requireNonNull(resendBackoff, "resendBackoff");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(threads, "threads");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive=" + Human.duration(keepAlive) + " must be positive");
        }
        if (inlineMaxBytes < 0 || inlineMaxBytes > SMALL_FILE_BYTES) {
            throw new IllegalArgumentException("inlineMaxBytes=" + inlineMaxBytes + " outside 0.." + SMALL_FILE_BYTES);
        }
    }

    /**
     * Settings with the given configurable values and this package's constants for the rest: XXH3-128, no inline
     * sends, virtual threads.
     */
    public static PushSettings of(String host, int port, String folder, Token token, int chunkSize, Duration readTimeout,
                                  int maxChunkAttempts, Duration keepAlive) {
        return new PushSettings(host, port, folder, token, chunkSize, HashAlgorithm.XXH3_128, DEFAULT_CONNECT_TIMEOUT,
                readTimeout, DEFAULT_MAX_FILES_IN_FLIGHT, DEFAULT_MAX_BYTES_IN_FLIGHT, maxChunkAttempts,
                DEFAULT_RESEND_BACKOFF, 0, keepAlive, SessionThreads.VIRTUAL, Optional.empty(), LinkShaping.NONE);
    }

    /**
     * As {@link #of}, over TLS 1.3 with {@code pin}; {@code token} may be null (the TLS key speaks for the sender) or
     * a token for a folder that a token opens.
     */
    public static PushSettings of(String host, int port, String folder, Token token, SenderPin pin, int chunkSize,
                                  Duration readTimeout, int maxChunkAttempts, Duration keepAlive) {
        return new PushSettings(host, port, folder, token, chunkSize, HashAlgorithm.XXH3_128, DEFAULT_CONNECT_TIMEOUT,
                readTimeout, DEFAULT_MAX_FILES_IN_FLIGHT, DEFAULT_MAX_BYTES_IN_FLIGHT, maxChunkAttempts,
                DEFAULT_RESEND_BACKOFF, 0, keepAlive, SessionThreads.VIRTUAL, Optional.of(pin), LinkShaping.NONE);
    }

    public PushSettings withChunkSize(int bytes) {
        return new PushSettings(host, port, folder, token, bytes, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                Math.max(maxBytesInFlight, bytes), maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, threads, pin, shaping);
    }

    public PushSettings withAlgorithm(HashAlgorithm a) {
        return new PushSettings(host, port, folder, token, chunkSize, a, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, threads, pin, shaping);
    }

    public PushSettings withResends(int maxAttempts, Backoff backoff) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxAttempts, backoff, inlineMaxBytes, keepAlive, threads, pin, shaping);
    }

    public PushSettings withTimeouts(Duration connect, Duration read) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connect, read, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, threads, pin, shaping);
    }

    public PushSettings withInlineUpTo(int bytes) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, bytes, keepAlive, threads, pin, shaping);
    }

    public PushSettings withKeepAlive(Duration interval) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, interval, threads, pin, shaping);
    }

    /** Over TLS 1.3 as {@code me}, to a receiver that must present {@code pin.receiver()}. */
    public PushSettings withPin(SenderPin newPin) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, threads,
                Optional.of(newPin), shaping);
    }

    public PushSettings withThreads(SessionThreads kind) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, kind, pin, shaping);
    }

    /** Compression and a bandwidth limit (see {@link LinkShaping}); every connection of these settings shares it. */
    public PushSettings withShaping(LinkShaping newShaping) {
        return new PushSettings(host, port, folder, token, chunkSize, algorithm, connectTimeout, readTimeout, maxFilesInFlight,
                maxBytesInFlight, maxChunkAttempts, resendBackoff, inlineMaxBytes, keepAlive, threads, pin, newShaping);
    }
}
