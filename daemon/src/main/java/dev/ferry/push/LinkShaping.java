package dev.ferry.push;

import dev.ferry.time.FerryClock;
import dev.ferry.wire.Compression;
import dev.ferry.wire.WritePacer;
import java.util.Objects;

/**
 * What a target asks of its links beyond the protocol's defaults: chunk compression (used when the receiver grants
 * it at the handshake) and a bandwidth limit. The limit's one {@link TokenBucket} is shared by every connection
 * made with these settings, so {@code bwlimit} holds for the target as a whole. Immutable but for that bucket.
 *
 * @param compression    {@link Compression#OFF} (the default) or zstd at a level
 * @param bytesPerSecond the bandwidth limit of the target's writes; 0: none
 * @param pacer          what the links' writes ask before going out ({@link WritePacer#NONE} without a limit)
 */
public record LinkShaping(Compression compression, long bytesPerSecond, WritePacer pacer) {
    public static final LinkShaping NONE = new LinkShaping(Compression.OFF, 0, WritePacer.NONE);

    public LinkShaping {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(pacer, "pacer");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond=" + bytesPerSecond + " is negative");
        }
    }

    /**
     * {@code compression}, and a limit of {@code bytesPerSecond} (0: none) read on {@code clock}; a write held by
     * the limit sleeps its thread.
     */
    public static LinkShaping of(Compression compression, long bytesPerSecond, FerryClock clock) {
        return new LinkShaping(compression, bytesPerSecond,
                bytesPerSecond == 0 ? WritePacer.NONE : TokenBucket.sleeping(bytesPerSecond, clock));
    }
}
