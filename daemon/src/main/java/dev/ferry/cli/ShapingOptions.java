package dev.ferry.cli;

import dev.ferry.config.ByteSizes;
import dev.ferry.config.SyncConfig;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushSettings;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Compression;
import java.util.Set;

/**
 * {@code ferry push --compress ALG} and {@code --bwlimit SIZE}: what the {@code sync:} keys {@code compress} and
 * {@code bwlimit} are to the daemon, for a one-shot push. Kept apart from {@link PushCommand}'s other flags; a bad
 * value is a usage error (exit 2).
 */
final class ShapingOptions {
    static final String COMPRESS = "--compress";
    static final String BWLIMIT = "--bwlimit";
    static final Set<String> OPTIONS = Set.of(COMPRESS, BWLIMIT);
    static final String USAGE = """
              --compress ALG      compress chunks: zstd, zstd:LEVEL (1..19, default %d) or none (the default);
                                  a receiver that does not speak it gets them raw, and so does a chunk that
                                  does not shrink
              --bwlimit SIZE      hold the push to SIZE per second (e.g. 10MiB; 0: no limit, the default)
            """.formatted(Compression.DEFAULT_ZSTD_LEVEL);

    private ShapingOptions() {
    }

    /** {@code settings} with what the command line asks for; unchanged when it names neither option. */
    static PushSettings apply(Args args, PushSettings settings) {
        String compress = args.value(COMPRESS);
        String bwlimit = args.value(BWLIMIT);
        if (compress == null && bwlimit == null) {
            return settings;
        }
        Compression compression = SyncConfig.DEFAULT_COMPRESS;
        long bytesPerSecond = SyncConfig.DEFAULT_BWLIMIT;
        try {
            if (compress != null) {
                compression = Compression.parse(compress);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(COMPRESS + ": " + e.getMessage());
        }
        try {
            if (bwlimit != null) {
                bytesPerSecond = ByteSizes.parse(bwlimit);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(BWLIMIT + ": " + e.getMessage());
        }
        if (!SyncConfig.bwlimitInRange(bytesPerSecond, settings.chunkSize(), settings.readTimeout())) {
            throw new UsageException(BWLIMIT + " " + bwlimit + " is too low for chunks of "
                    + ByteSizes.format(settings.chunkSize()) + ": use 0 (no limit) or at least "
                    + SyncConfig.minBwlimit(settings.chunkSize(), settings.readTimeout()) + " (bytes per second), or a"
                    + " smaller --chunk-size");
        }
        return settings.withShaping(LinkShaping.of(compression, bytesPerSecond, FerryClock.system()));
    }
}
