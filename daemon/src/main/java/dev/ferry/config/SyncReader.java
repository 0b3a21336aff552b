package dev.ferry.config;

import dev.ferry.wire.Compression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and checks the {@code sync:} list into {@link SyncConfig}s. */
final class SyncReader {
    static final List<String> KEYS = List.of("source", "targets", "token-file", "delete", "ignore", "chunk-size", "debounce",
            "rescan-interval", "connections", "chunk-attempts", "journal-commit", "read-timeout", "keep-alive",
            "compress", "bwlimit", "verify");
    private static final String TARGETS_EXAMPLE = "[ \"ferry://nas.example:7878/photos\" ]";

    private SyncReader() {
    }

    /** @param identity the top-level identity: with one, targets pin IDs and {@code token-file} is optional */
    static List<SyncConfig> read(Field field, PathResolver paths, Optional<Path> identity) throws ConfigException {
        List<Field> items = field.items("a list of sync entries, each starting with \"- source: DIR\"");
        field.check(!items.isEmpty(), "is an empty list; add an entry (\"- source: DIR\" with targets and token-file)"
                + " or remove sync");
        List<SyncConfig> syncs = new ArrayList<>();
        for (Field item : items) {
            syncs.add(entry(item, paths, syncs, identity));
        }
        return syncs;
    }

    private static SyncConfig entry(Field item, PathResolver paths, List<SyncConfig> earlier, Optional<Path> identity)
            throws ConfigException {
        Section sync = item.section("a mapping with source, targets and token-file");
        sync.allowOnly(KEYS);
        Path source = paths.directory(sync.require("source", "/home/alice/photos"));
        List<FerryUri> targets = targets(sync.require("targets", TARGETS_EXAMPLE), source, earlier, identity);
        Field tokenField = identity.isPresent() ? sync.get("token-file") : sync.require("token-file", "/etc/ferry/token");
        Path tokenFile = tokenField == null ? null : paths.tokenFile(tokenField);

        Field f = sync.get("delete");
        boolean delete = f == null ? SyncConfig.DEFAULT_DELETE : f.bool();

        List<String> ignore = new ArrayList<>();
        f = sync.get("ignore");
        if (f != null) {
            for (Field pattern : f.items("a list of patterns, e.g. [ \"*.tmp\", \".cache/\" ]")) {
                ignore.add(pattern.text());
            }
        }

        int chunkSize = (int) (long) sync.optional("chunk-size", (long) SyncConfig.DEFAULT_CHUNK_SIZE, ByteSizes::parse,
                SyncConfig::chunkSizeInRange, "is out of range; use a size from " + ByteSizes.format(SyncConfig.MIN_CHUNK_SIZE)
                        + " to " + ByteSizes.format(SyncConfig.MAX_CHUNK_SIZE) + ", e.g. 1MiB");
        Duration debounce = sync.optional("debounce", SyncConfig.DEFAULT_DEBOUNCE, Durations::parse,
                SyncConfig::debounceInRange, "is too long; use 0ms to " + Durations.format(SyncConfig.MAX_DEBOUNCE)
                        + " (default " + Durations.format(SyncConfig.DEFAULT_DEBOUNCE) + ": a change is out in about 10 ms)");
        Duration rescan = sync.optional("rescan-interval", SyncConfig.DEFAULT_RESCAN_INTERVAL, Durations::parse,
                SyncConfig::rescanIntervalInRange, "is too short; use " + Durations.format(SyncConfig.MIN_RESCAN_INTERVAL)
                        + " or more (default " + Durations.format(SyncConfig.DEFAULT_RESCAN_INTERVAL) + ")");
        int connections = SyncConfig.DEFAULT_CONNECTIONS;
        f = sync.get("connections");
        if (f != null) {
            connections = f.integer(SyncConfig.MIN_CONNECTIONS, SyncConfig.MAX_CONNECTIONS);
        }
        int chunkAttempts = SyncConfig.DEFAULT_CHUNK_ATTEMPTS;
        f = sync.get("chunk-attempts");
        if (f != null) {
            chunkAttempts = f.integer(SyncConfig.MIN_CHUNK_ATTEMPTS, SyncConfig.MAX_CHUNK_ATTEMPTS);
        }
        Duration journalCommit = sync.optional("journal-commit", SyncConfig.DEFAULT_JOURNAL_COMMIT, Durations::parse,
                SyncConfig::journalCommitInRange, "is out of range; use 1ms to "
                        + Durations.format(SyncConfig.MAX_JOURNAL_COMMIT) + " (default "
                        + Durations.format(SyncConfig.DEFAULT_JOURNAL_COMMIT)
                        + ": how long progress may wait to be forced to disk)");
        Duration readTimeout = sync.optional("read-timeout", SyncConfig.DEFAULT_READ_TIMEOUT, Durations::parse,
                SyncConfig::readTimeoutInRange, "is out of range; use " + Durations.format(SyncConfig.MIN_READ_TIMEOUT)
                        + " to " + Durations.format(SyncConfig.MAX_READ_TIMEOUT) + " (default "
                        + Durations.format(SyncConfig.DEFAULT_READ_TIMEOUT) + ": how long a target may stay silent)");
        Duration keepAlive = sync.optional("keep-alive", SyncConfig.DEFAULT_KEEP_ALIVE, Durations::parse,
                k -> SyncConfig.keepAliveInRange(k, readTimeout), "is out of range; use "
                        + Durations.format(SyncConfig.MIN_KEEP_ALIVE) + " up to less than read-timeout ("
                        + Durations.format(readTimeout) + "); default " + Durations.format(SyncConfig.DEFAULT_KEEP_ALIVE));
        f = sync.get("verify");
        Verify verify = f == null ? SyncConfig.DEFAULT_VERIFY : f.parsed(Verify::parse);
        Compression compress = SyncConfig.DEFAULT_COMPRESS;
        f = sync.get("compress");
        if (f != null) {
            compress = f.parsed(Compression::parse);
        }
        long bwlimit = sync.optional("bwlimit", SyncConfig.DEFAULT_BWLIMIT, ByteSizes::parse,
                b -> SyncConfig.bwlimitInRange(b, chunkSize, readTimeout), "is too low for chunk-size "
                        + ByteSizes.format(chunkSize) + " and read-timeout " + Durations.format(readTimeout) + "; use 0 (no"
                        + " limit) or at least " + SyncConfig.minBwlimit(chunkSize, readTimeout) + " (bytes per second), or"
                        + " a smaller chunk-size");
        return new SyncConfig(source, targets, tokenFile, delete, ignore, chunkSize, debounce, rescan, connections,
                chunkAttempts, journalCommit, readTimeout, keepAlive, identity, compress, bwlimit, verify);
    }

    /** The targets, none repeated, and none that an earlier entry already pushes the same source to. */
    private static List<FerryUri> targets(Field field, Path source, List<SyncConfig> earlier, Optional<Path> identity)
            throws ConfigException {
        List<Field> items = field.items("a list of ferry URIs, e.g. " + TARGETS_EXAMPLE);
        field.check(!items.isEmpty(), "is an empty list; add at least one target, e.g. " + TARGETS_EXAMPLE);
        List<FerryUri> targets = new ArrayList<>();
        for (Field item : items) {
            FerryUri target = item.parsed(FerryUri::parse);
            if (identity.isPresent()) {
                item.check(target.id().isPresent(), "has no receiver ID to pin; write it as ferry://ID@" + target.address()
                        + "/" + target.folder() + " (ferry id DIR on the receiver prints its ID)");
            } else {
                item.check(target.id().isEmpty(), "pins receiver ID " + target.id().orElse(null) + ", which needs this"
                        + " host's identity: add \"identity: DIR\" at the top level (made by ferry keygen DIR), or"
                        + " drop the ID for transport: plaintext");
            }
            int first = targets.indexOf(target);
            item.check(first < 0, target + " is listed twice (also " + field.key() + "[" + first + "]); remove one");
            for (int i = 0; i < earlier.size(); i++) {
                item.check(!(earlier.get(i).source().equals(source) && earlier.get(i).targets().contains(target)),
                        "sync[" + i + "] already pushes " + source + " to " + target + "; remove one of them");
            }
            targets.add(target);
        }
        return targets;
    }
}
