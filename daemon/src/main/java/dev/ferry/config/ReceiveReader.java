package dev.ferry.config;

import dev.ferry.auth.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and checks the {@code receive:} section into a {@link ReceiveConfig}. */
final class ReceiveReader {
    static final List<String> KEYS = List.of(
            "listen", "token-file", "max-connections", "read-timeout", "durability", "max-file-size", "trash", "partial-max-age",
            "folders");
    /** The keys of one folder's settings, {@code receive.folders.NAME}. */
    static final List<String> FOLDER_KEYS = List.of("path", "allow", "token-file");
    private static final String FOLDER_EXAMPLE = "photos: {path: /srv/ferry/photos}";
    private static final String ID_EXAMPLE = "MFRG-GZDF-MZTW-Q2LK-NNWG-23TP-OBYX-E4TT";

    private ReceiveReader() {
    }

    /** @param identity the top-level identity: with one, {@code token-file} is optional and folders may {@code allow} IDs */
    static ReceiveConfig read(Field field, PathResolver paths, Optional<Path> identity) throws ConfigException {
        Section receive = field.section("a mapping with listen, token-file and folders");
        receive.allowOnly(KEYS);
        HostPort listen = receive.require("listen", "0.0.0.0:7878").parsed(HostPort::parse);
        Field tokenField = identity.isPresent() ? receive.get("token-file") : receive.require("token-file", "/etc/ferry/token");
        Path tokenFile = tokenField == null ? null : paths.tokenFile(tokenField);

        Field f = receive.get("max-connections");
        int maxConnections = f == null
                ? ReceiveConfig.DEFAULT_MAX_CONNECTIONS
                : f.integer(ReceiveConfig.MIN_CONNECTIONS, ReceiveConfig.MAX_CONNECTIONS);

        Duration readTimeout = receive.optional("read-timeout", ReceiveConfig.DEFAULT_READ_TIMEOUT, Durations::parse,
                ReceiveConfig::readTimeoutInRange, "is out of range; use a duration from 1ms to "
                        + Durations.format(ReceiveConfig.MAX_READ_TIMEOUT) + ", e.g. 60s");

        f = receive.get("durability");
        Durability durability = f == null ? ReceiveConfig.DEFAULT_DURABILITY : f.parsed(Durability::parse);

        long maxFileSize = receive.optional("max-file-size", ReceiveConfig.DEFAULT_MAX_FILE_SIZE, ByteSizes::parse,
                ReceiveConfig::maxFileSizeInRange, "is out of range; use a size of at least 1 byte, e.g. 1TiB");

        Map<String, List<PeerId>> allow = new LinkedHashMap<>();
        Map<String, Path> folderTokens = new LinkedHashMap<>();
        Map<String, Path> folders = folders(receive.require("folders", "{" + FOLDER_EXAMPLE + "}"), paths, identity,
                allow, folderTokens);
        Duration trash = receive.optional("trash", ReceiveConfig.DEFAULT_TRASH, Durations::parse,
                ReceiveConfig::trashInRange, "is too long; use e.g. 7d (0 = no trash)");
        Duration partialMaxAge = receive.optional("partial-max-age", ReceiveConfig.DEFAULT_PARTIAL_MAX_AGE, Durations::parse,
                ReceiveConfig::partialMaxAgeInRange,
                "is out of range; use e.g. 7d (how long an interrupted transfer is kept for a resume)");
        return new ReceiveConfig(listen, tokenFile, folders, maxConnections, readTimeout, durability, maxFileSize, trash,
                partialMaxAge, identity, allow, folderTokens);
    }

    /** Fills {@code allow} and {@code folderTokens} with the folders' own settings as it goes. */
    private static Map<String, Path> folders(Field field, PathResolver paths, Optional<Path> identity,
                                             Map<String, List<PeerId>> allow, Map<String, Path> folderTokens)
            throws ConfigException {
        Section section = field.section("a mapping of folder names to settings, e.g. " + FOLDER_EXAMPLE);
        if (section.isEmpty()) {
            throw field.error("has no folders; add at least one, e.g. " + FOLDER_EXAMPLE);
        }
        Map<String, Path> folders = new LinkedHashMap<>();
        for (Field folder : section.fields()) {
            String name = folder.key().substring(section.key().length() + 1);
            folder.check(FolderName.isValid(name), "folder name \"" + name + "\" is invalid: " + FolderName.RULE);
            Section settings = folder.section("a mapping with path, e.g. " + FOLDER_EXAMPLE.replace("photos", name));
            settings.allowOnly(FOLDER_KEYS);
            Field pathField = settings.require("path", "/srv/ferry/" + name);
            Path dir = paths.directory(pathField);
            for (Map.Entry<String, Path> other : folders.entrySet()) {
                String clash = dir.equals(other.getValue()) ? " is also the path of folder "
                        : dir.startsWith(other.getValue()) ? " is inside folder "
                        : other.getValue().startsWith(dir) ? " contains folder " : null;
                if (clash != null) {
                    throw pathField.error(dir + clash + other.getKey() + " (" + other.getValue()
                            + "); give each folder a directory of its own, not nested in another");
                }
            }
            folders.put(name, dir);
            Field allowField = settings.get("allow");
            if (allowField != null) {
                allowField.check(identity.isPresent(), "lists IDs, which only a receiver with an identity can check;"
                        + " add \"identity: DIR\" at the top level (made by ferry keygen DIR), or remove allow");
                allow.put(name, ids(allowField));
            }
            Field token = settings.get("token-file");
            if (token != null) {
                folderTokens.put(name, paths.tokenFile(token));
            }
        }
        return folders;
    }

    /** The IDs of an {@code allow} list, each once. */
    private static List<PeerId> ids(Field field) throws ConfigException {
        List<PeerId> ids = new ArrayList<>();
        for (Field item : field.items("a list of peer IDs, e.g. [ " + ID_EXAMPLE + " ] (ferry id DIR prints one)")) {
            PeerId id = item.parsed(PeerId::parse);
            item.check(!ids.contains(id), id + " is listed twice; remove one");
            ids.add(id);
        }
        return ids;
    }
}
