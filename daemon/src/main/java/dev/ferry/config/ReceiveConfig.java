package dev.ferry.config;

import dev.ferry.auth.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code receive:} section: this host accepts pushes into named folders.
 *
 * @param listen         address to bind; port 0 picks a free port (tests)
 * @param tokenFile      shared token that pushers must prove they know; it opens every folder without a token file of
 *                       its own. Null only with an identity (then IDs, and folders' own tokens, open folders)
 * @param folders        folder name to absolute directory, in the order of the config file
 * @param maxConnections concurrent connections accepted, 1..{@value #MAX_CONNECTIONS}
 * @param readTimeout    how long a connection may stay silent before it is dropped, up to one day
 * @param durability     whether acked data is fsynced first
 * @param maxFileSize    largest file a pusher may offer, in bytes
 * @param trash          how long deleted and replaced files are kept in {@code .ferry/trash/DATE/}; zero = not kept
 * @param partialMaxAge  how long an interrupted transfer's partial file is kept for a resume after its last write
 * @param identity       this host's identity folder (the top-level {@code identity}): TLS 1.3, senders known by ID;
 *                       empty: plaintext (the config said {@code transport: plaintext})
 * @param allow          per folder, the sender IDs that may write it (only with an identity; a folder not here allows
 *                       none)
 * @param folderTokens   per folder, its own token file, instead of {@code tokenFile}
 */
public record ReceiveConfig(HostPort listen, Path tokenFile, Map<String, Path> folders,
                            int maxConnections, Duration readTimeout, Durability durability, long maxFileSize,
                            Duration trash, Duration partialMaxAge, Optional<Path> identity,
                            Map<String, List<PeerId>> allow, Map<String, Path> folderTokens) {
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int MIN_CONNECTIONS = 1;
    public static final int MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MAX_READ_TIMEOUT = Duration.ofDays(1);
    public static final long DEFAULT_MAX_FILE_SIZE = 1L << 40;
    public static final Duration DEFAULT_PARTIAL_MAX_AGE = Duration.ofDays(7);
    public static final Durability DEFAULT_DURABILITY = Durability.FSYNC;
    /** No trash unless the config asks for one. */
    public static final Duration DEFAULT_TRASH = Duration.ZERO;
    /** Longest {@code trash} and {@code partial-max-age}: ten years, far past any sensible keep. */
    public static final Duration MAX_KEEP = Duration.ofDays(3650);

    public ReceiveConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(identity, "identity");
        if (tokenFile == null && identity.isEmpty()) {
            throw new IllegalArgumentException("a receiver without an identity needs a token file");
        }
        if (identity.isEmpty() && !allow.isEmpty()) {
            throw new IllegalArgumentException("allow lists IDs, which only a receiver with an identity can check");
        }
        Objects.requireNonNull(durability, "durability");
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("receive needs at least one folder");
        }
        folders.forEach((name, dir) -> {
            FolderName.check(name);
            if (!dir.isAbsolute()) {
                throw new IllegalArgumentException("folder " + name + ": path " + dir + " is not absolute");
            }
        });
        folders = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(folders));
        for (String name : allow.keySet()) {
            if (!folders.containsKey(name)) {
                throw new IllegalArgumentException("allow for folder " + name + ", which is not one of " + folders.keySet());
            }
        }
        for (String name : folderTokens.keySet()) {
            if (!folders.containsKey(name)) {
                throw new IllegalArgumentException("token file for folder " + name + ", which is not one of "
                        + folders.keySet());
            }
        }
        Map<String, List<PeerId>> allowCopy = new LinkedHashMap<>();
        allow.forEach((name, ids) -> allowCopy.put(name, List.copyOf(ids)));
        allow = Collections.unmodifiableMap(allowCopy);
        folderTokens = Map.copyOf(folderTokens);
        if (!maxConnectionsInRange(maxConnections)) {
            throw new IllegalArgumentException(
                    "maxConnections=" + maxConnections + " is outside 1.." + MAX_CONNECTIONS);
        }
        if (!readTimeoutInRange(readTimeout)) {
            throw new IllegalArgumentException("readTimeout=" + Durations.format(readTimeout) + " is outside (0, 1d]");
        }
        if (!maxFileSizeInRange(maxFileSize)) {
            throw new IllegalArgumentException("maxFileSize=" + maxFileSize + " must be at least 1");
        }
        Objects.requireNonNull(trash, "trash");
        if (trash.isNegative()) {
            throw new IllegalArgumentException("trash=" + Durations.format(trash) + " is negative");
        }
        if (!trashInRange(trash)) {
            throw new IllegalArgumentException("trash=" + Durations.format(trash) + " is longer than " + Durations.format(MAX_KEEP));
        }
        Objects.requireNonNull(partialMaxAge, "partialMaxAge");
        if (partialMaxAge.isNegative() || partialMaxAge.isZero()) {
            throw new IllegalArgumentException("partialMaxAge=" + Durations.format(partialMaxAge) + " must be positive");
        }
        if (!partialMaxAgeInRange(partialMaxAge)) {
            throw new IllegalArgumentException("partialMaxAge=" + Durations.format(partialMaxAge) + " is longer than "
                    + Durations.format(MAX_KEEP));
        }
    }

    /** In plaintext mode: no identity, no IDs, one token for every folder. */
    public ReceiveConfig(HostPort listen, Path tokenFile, Map<String, Path> folders, int maxConnections, Duration readTimeout,
                         Durability durability, long maxFileSize, Duration trash, Duration partialMaxAge) {
        this(listen, tokenFile, folders, maxConnections, readTimeout, durability, maxFileSize, trash, partialMaxAge,
                Optional.empty(), Map.of(), Map.of());
    }

    /** This receiver with an identity, its folders' allowed IDs and own token files. */
    public ReceiveConfig withAccess(Optional<Path> newIdentity, Map<String, List<PeerId>> newAllow,
                                    Map<String, Path> newFolderTokens) {
        return new ReceiveConfig(listen, tokenFile, folders, maxConnections, readTimeout, durability, maxFileSize, trash,
                partialMaxAge, newIdentity, newAllow, newFolderTokens);
    }

    /** Without a trash. */
    public ReceiveConfig(HostPort listen, Path tokenFile, Map<String, Path> folders, int maxConnections, Duration readTimeout,
                         Durability durability, long maxFileSize) {
        this(listen, tokenFile, folders, maxConnections, readTimeout, durability, maxFileSize, DEFAULT_TRASH,
                DEFAULT_PARTIAL_MAX_AGE);
    }

    /** A receiver with every optional setting at its default (what {@code ferry receive} uses). */
    public static ReceiveConfig defaults(HostPort listen, Path tokenFile, Map<String, Path> folders) {
        return new ReceiveConfig(listen, tokenFile, folders, DEFAULT_MAX_CONNECTIONS, DEFAULT_READ_TIMEOUT,
                DEFAULT_DURABILITY, DEFAULT_MAX_FILE_SIZE);
    }

    // The range rules, one home each: the constructor and ReceiveReader both ask these (each with its own message).

    static boolean maxConnectionsInRange(int connections) {
        return connections >= MIN_CONNECTIONS && connections <= MAX_CONNECTIONS;
    }

    static boolean readTimeoutInRange(Duration timeout) {
        return timeout.isPositive() && timeout.compareTo(MAX_READ_TIMEOUT) <= 0;
    }

    static boolean maxFileSizeInRange(long bytes) {
        return bytes >= 1;
    }

    /** Zero turns the trash off. */
    static boolean trashInRange(Duration keep) {
        return !keep.isNegative() && keep.compareTo(MAX_KEEP) <= 0;
    }

    static boolean partialMaxAgeInRange(Duration age) {
        return age.isPositive() && age.compareTo(MAX_KEEP) <= 0;
    }
}
