package dev.ferry.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and checked config file. Made by {@link ConfigLoader#load}; read by {@code daemon}.
 *
 * @param file     the config file, absolute
 * @param stateDir where journals and indexes live (not created here; {@code daemon} creates it)
 * @param receive  present when this host accepts pushes
 * @param sync     folders this host watches and pushes, in file order; may be empty
 */
public record FerryConfig(Path file, Path stateDir, Optional<ReceiveConfig> receive, List<SyncConfig> sync) {
    public FerryConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(receive, "receive");
        sync = List.copyOf(sync);
    }
}
