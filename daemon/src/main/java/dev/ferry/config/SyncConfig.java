package dev.ferry.config;

import dev.ferry.journal.JournalOptions;
import dev.ferry.wire.Compression;
import dev.ferry.wire.WireLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the {@code sync:} list: watch {@code source} and push it to every target.
 *
 * @param source    absolute directory to watch
 * @param targets   at least one receiver folder, no duplicates
 * @param tokenFile shared token proved to the receivers; null only with an identity (the TLS key speaks for
 *                  this host)
 * @param delete    whether files deleted at the source are deleted at the targets
 * @param ignore    patterns of paths not to sync, as written in the config
 * @param chunkSize bytes per chunk, {@value #MIN_CHUNK_SIZE}..{@value #MAX_CHUNK_SIZE}
 * @param chunkAttempts sends of one chunk the receiver refuses before its file fails (and is retried later)
 * @param journalCommit longest wait before the journal's records are forced to disk (group commit)
 * @param readTimeout   how long a target may stay silent (while it owes an answer, or a PONG) before the
 *                      connection is given up and opened again
 * @param keepAlive     how long a connection stays silent before it sends a PING (between changes too)
 * @param identity      this host's identity folder (the top-level {@code identity}): every target is pinned by ID
 *                      and reached over TLS 1.3; empty: plaintext, no target may name an ID
 * @param compress      chunk compression asked of each target's receiver ({@link Compression#OFF} by default; a
 *                      receiver that does not speak it gets the chunks raw)
 * @param bwlimit       each target's writes are held to this many bytes per second; 0: no limit
 * @param verify        how the reconcile with a target's listing tells a file it holds ({@link Verify#QUICK}: by size,
 *                      mtime and mode; {@link Verify#CHECKSUM}: every file offered, its hashes compared)
 */
public record SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore,
                         int chunkSize, Duration debounce, Duration rescanInterval, int connections,
                         int chunkAttempts, Duration journalCommit, Duration readTimeout,
                         Duration keepAlive, Optional<Path> identity, Compression compress, long bwlimit, Verify verify) {
    /** Connections per target: files of one batch are spread over them (the receiver serves each on its own thread). */
    public static final int DEFAULT_CONNECTIONS = 2;
    public static final Verify DEFAULT_VERIFY = Verify.QUICK;
    public static final int MIN_CONNECTIONS = 1;
    public static final int MAX_CONNECTIONS = 16;
    public static final int DEFAULT_CHUNK_SIZE = 1 << 20;
    /** Quiet time before a changed path is sent: bursts on one file merge, and a change is still out in ~10 ms. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(2);
    public static final Duration MAX_DEBOUNCE = Duration.ofMinutes(10);
    /** Full rescan of the source as a safety net against missed events. */
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofMinutes(10);
    public static final Duration MIN_RESCAN_INTERVAL = Duration.ofSeconds(1);
    public static final int MIN_CHUNK_SIZE = 64 << 10;
    /** The largest chunk a receiver accepts by default: the protocol's limit, not ours to restate. */
    public static final int MAX_CHUNK_SIZE = WireLimits.DEFAULT_MAX_CHUNK;
    public static final int DEFAULT_CHUNK_ATTEMPTS = 5;
    public static final int MIN_CHUNK_ATTEMPTS = 1;
    public static final int MAX_CHUNK_ATTEMPTS = 100;
    /** The journal's own group-commit default (its tests need one without a config): stated once, there. */
    public static final Duration DEFAULT_JOURNAL_COMMIT = JournalOptions.DEFAULTS.commitInterval();
    public static final Duration MAX_JOURNAL_COMMIT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration MIN_READ_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_READ_TIMEOUT = Duration.ofDays(1);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);
    public static final Duration MIN_KEEP_ALIVE = Duration.ofMillis(100);
    /** Files deleted at the source are deleted at the targets unless the config says {@code delete: false}. */
    public static final boolean DEFAULT_DELETE = true;
    /** Off: on a LAN the CPU costs more than the bytes; turn it on for a slow link (docs/CONFIG.md). */
    public static final Compression DEFAULT_COMPRESS = Compression.OFF;
    /** No bandwidth limit. */
    public static final long DEFAULT_BWLIMIT = 0;

    public SyncConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(identity, "identity");
        if (tokenFile == null && identity.isEmpty()) {
            throw new IllegalArgumentException("a sync without an identity needs a token file");
        }
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
        for (FerryUri t : targets) {
            if (t.id().isPresent() != identity.isPresent()) {
                throw new IllegalArgumentException(identity.isPresent() ? "target " + t + " has no receiver ID to pin"
                        : "target " + t + " pins an ID, which needs an identity");
            }
        }
        ignore = List.copyOf(ignore);
        if (!chunkSizeInRange(chunkSize)) {
            throw new IllegalArgumentException(
                    "chunkSize=" + chunkSize + " is outside " + MIN_CHUNK_SIZE + ".." + MAX_CHUNK_SIZE);
        }
        Objects.requireNonNull(debounce, "debounce");
        Objects.requireNonNull(rescanInterval, "rescanInterval");
        if (!debounceInRange(debounce)) {
            throw new IllegalArgumentException("debounce=" + Durations.format(debounce) + " is outside 0ms.." + Durations.format(MAX_DEBOUNCE));
        }
        if (!rescanIntervalInRange(rescanInterval)) {
            throw new IllegalArgumentException("rescanInterval=" + Durations.format(rescanInterval) + " is below " + Durations.format(MIN_RESCAN_INTERVAL));
        }
        if (connections < MIN_CONNECTIONS || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections=" + connections + " is outside 1.." + MAX_CONNECTIONS);
        }
        if (chunkAttempts < MIN_CHUNK_ATTEMPTS || chunkAttempts > MAX_CHUNK_ATTEMPTS) {
            throw new IllegalArgumentException("chunkAttempts=" + chunkAttempts + " is outside 1.." + MAX_CHUNK_ATTEMPTS);
        }
        Objects.requireNonNull(journalCommit, "journalCommit");
        if (!journalCommitInRange(journalCommit)) {
            throw new IllegalArgumentException("journalCommit=" + Durations.format(journalCommit) + " is outside (0.."
                    + Durations.format(MAX_JOURNAL_COMMIT) + "]");
        }
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (!readTimeoutInRange(readTimeout)) {
            throw new IllegalArgumentException("readTimeout=" + Durations.format(readTimeout) + " is outside "
                    + Durations.format(MIN_READ_TIMEOUT) + ".." + Durations.format(MAX_READ_TIMEOUT));
        }
        if (!keepAliveInRange(keepAlive, readTimeout)) {
            throw new IllegalArgumentException("keepAlive=" + Durations.format(keepAlive) + " is outside "
                    + Durations.format(MIN_KEEP_ALIVE) + "..readTimeout (" + Durations.format(readTimeout) + ")");
        }
        Objects.requireNonNull(compress, "compress");
        Objects.requireNonNull(verify, "verify");
        if (!bwlimitInRange(bwlimit, chunkSize, readTimeout)) {
            throw new IllegalArgumentException("bwlimit=" + bwlimit + " B/s is below " + minBwlimit(chunkSize, readTimeout)
                    + " (two chunks of " + chunkSize + " per readTimeout " + Durations.format(readTimeout) + ")");
        }
    }

    /** With the quick check (the default {@code verify}). */
    public SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore,
                      int chunkSize, Duration debounce, Duration rescanInterval, int connections, int chunkAttempts,
                      Duration journalCommit, Duration readTimeout, Duration keepAlive, Optional<Path> identity,
                      Compression compress, long bwlimit) {
        this(source, targets, tokenFile, delete, ignore, chunkSize, debounce, rescanInterval, connections, chunkAttempts,
                journalCommit, readTimeout, keepAlive, identity, compress, bwlimit, DEFAULT_VERIFY);
    }

    /** With identity but neither compression nor a bandwidth limit. */
    public SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore,
                      int chunkSize, Duration debounce, Duration rescanInterval, int connections, int chunkAttempts,
                      Duration journalCommit, Duration readTimeout, Duration keepAlive, Optional<Path> identity) {
        this(source, targets, tokenFile, delete, ignore, chunkSize, debounce, rescanInterval, connections, chunkAttempts,
                journalCommit, readTimeout, keepAlive, identity, DEFAULT_COMPRESS, DEFAULT_BWLIMIT);
    }

    /** In plaintext mode (no identity). */
    public SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore,
                      int chunkSize, Duration debounce, Duration rescanInterval, int connections, int chunkAttempts,
                      Duration journalCommit, Duration readTimeout, Duration keepAlive) {
        this(source, targets, tokenFile, delete, ignore, chunkSize, debounce, rescanInterval, connections, chunkAttempts,
                journalCommit, readTimeout, keepAlive, Optional.empty());
    }

    /** With the default debounce and rescan interval. */
    public SyncConfig(Path source, List<FerryUri> targets, Path tokenFile, boolean delete, List<String> ignore, int chunkSize) {
        this(source, targets, tokenFile, delete, ignore, chunkSize, DEFAULT_DEBOUNCE, DEFAULT_RESCAN_INTERVAL,
                DEFAULT_CONNECTIONS, DEFAULT_CHUNK_ATTEMPTS, DEFAULT_JOURNAL_COMMIT, DEFAULT_READ_TIMEOUT, DEFAULT_KEEP_ALIVE);
    }

    /** A sync with every optional setting at its default (what {@code ferry push} uses). */
    public static SyncConfig defaults(Path source, List<FerryUri> targets, Path tokenFile) {
        return new SyncConfig(source, targets, tokenFile, DEFAULT_DELETE, List.of(), DEFAULT_CHUNK_SIZE);
    }

    // The range rules, one home each: the constructor and SyncReader both ask these (each with its own message).

    /** {@value #MIN_CHUNK_SIZE}..{@value #MAX_CHUNK_SIZE} bytes: the receiver's largest chunk frame bounds the top. */
    public static boolean chunkSizeInRange(long bytes) {
        return bytes >= MIN_CHUNK_SIZE && bytes <= MAX_CHUNK_SIZE;
    }

    static boolean debounceInRange(Duration debounce) {
        return !debounce.isNegative() && debounce.compareTo(MAX_DEBOUNCE) <= 0;
    }

    static boolean rescanIntervalInRange(Duration interval) {
        return interval.compareTo(MIN_RESCAN_INTERVAL) >= 0;
    }

    static boolean journalCommitInRange(Duration commit) {
        return commit.isPositive() && commit.compareTo(MAX_JOURNAL_COMMIT) <= 0;
    }

    static boolean readTimeoutInRange(Duration timeout) {
        return timeout.compareTo(MIN_READ_TIMEOUT) >= 0 && timeout.compareTo(MAX_READ_TIMEOUT) <= 0;
    }

    /**
     * 0 (none), or fast enough that two chunks cross within the read timeout: a chunk held back by the limit keeps
     * the link silent meanwhile, and a receiver that waits longer than that for its bytes would drop the link.
     */
    public static boolean bwlimitInRange(long bytesPerSecond, int chunkSize, Duration readTimeout) {
        return bytesPerSecond == 0 || bytesPerSecond >= minBwlimit(chunkSize, readTimeout);
    }

    /** The lowest {@code bwlimit} for a chunk size and read timeout: two chunks per read timeout, in bytes per second. */
    public static long minBwlimit(int chunkSize, Duration readTimeout) {
        return Math.max(1, Math.ceilDiv(2L * chunkSize, Math.max(1, readTimeout.toSeconds())));
    }

    /** Below the read timeout, so a silent but live link sends its PING before the other side gives it up. */
    static boolean keepAliveInRange(Duration keepAlive, Duration readTimeout) {
        return keepAlive.compareTo(MIN_KEEP_ALIVE) >= 0 && keepAlive.compareTo(readTimeout) < 0;
    }
}
