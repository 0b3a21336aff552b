package dev.ferry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One entry of the {@code sync:} list: watch {@code source} and push it to every target.
 *
 * @param source    absolute directory to watch
 * @param targets   at least one receiver folder, no duplicates
 * @param tokenFile shared token proved to the receivers
 * @param delete    whether files deleted at the source are deleted at the targets
 * @param ignore    patterns of paths not to sync, as written in the config
 * @param chunkSize bytes per chunk, {@value #MIN_CHUNK_SIZE}..{@value #MAX_CHUNK_SIZE}
 */
public record SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore,
                         int chunkSize) {
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    public static final int MAX_CHUNK_SIZE = 8 << 20;

    public SyncConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("source " + source + " is not absolute");
        }
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a sync needs at least one target");
        }
        if (targets.stream().distinct().count() != targets.size()) {
            throw new IllegalArgumentException("duplicate target in " + targets);
        }
        ignore = List.copyOf(ignore);
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException(
                    "chunkSize=" + chunkSize + " is outside " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
        }
    }

    /** A sync with every optional setting at its default (what {@code ferry push} uses). */
    public static SyncConfig defaults(Path source, List<FerryUri> targets, Path tokenFile) {
        return new SyncConfig(source, targets, tokenFile, true, List.of(), DEFAULT_CHUNK_SIZE);
    }
}
