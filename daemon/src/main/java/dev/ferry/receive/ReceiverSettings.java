package dev.ferry.receive;

import dev.ferry.auth.FolderAccess;
import dev.ferry.auth.Identity;
import dev.ferry.auth.PeerId;
import dev.ferry.auth.Token;
import dev.ferry.wire.WireLimits;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a receiver needs to run. Folders map a name (what clients ask for) to an existing directory.
 *
 * @param fsync            fsync each file and its directory before acknowledging the commit (durability: fsync)
 * @param handshakeTimeout deadline for a new connection to complete HELLO..AUTH
 * @param readTimeout      deadline for any later frame from an idle client
 * @param trash            keep deleted and replaced files this long under {@code .ferry/trash/DATE/} (zero: don't)
 * @param partialMaxAge    an interrupted transfer's partial file is removed this long after its last write
 * @param token            the {@code receive} section's token, which opens every folder without a token of its own;
 *                         null only with an identity (then only IDs and folders' own tokens open folders)
 * @param identity         TLS 1.3 as this identity, every sender presenting its own (see {@link #accessTo}); empty:
 *                         plaintext, token mode only
 * @param access           per folder, the IDs allowed and the folder's own token; a folder not here has no IDs and
 *                         the section's token
 */
public record ReceiverSettings(InetSocketAddress listen, Token token, Map<String, Path> folders, int maxConnections,
                               Duration handshakeTimeout, Duration readTimeout, boolean fsync, long maxFileSize,
                               WireLimits limits, Duration trash, Duration partialMaxAge, Optional<Identity> identity,
                               Map<String, FolderAccess> access) {
    /** Not configurable: a client that cannot finish HELLO..AUTH in this long is not worth waiting for. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public ReceiverSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(identity, "identity");
        if (token == null && identity.isEmpty()) {
            throw new IllegalArgumentException("a receiver without an identity needs a token");
        }
        folders = Map.copyOf(new LinkedHashMap<>(folders));
        access = Map.copyOf(access);
        for (String name : access.keySet()) {
            if (!folders.containsKey(name)) {
                throw new IllegalArgumentException("access for folder '" + name + "', which is not served");
            }
        }
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("a receiver needs at least one folder");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections=" + maxConnections + ", must be >= 1");
        }
        if (maxFileSize < 0) {
            throw new IllegalArgumentException("maxFileSize=" + maxFileSize);
        }
        Objects.requireNonNull(trash, "trash");
        Objects.requireNonNull(partialMaxAge, "partialMaxAge");
    }

    /**
     * Who may write {@code folder}: its allowed IDs, and its own token or else the section's. In plaintext mode only
     * the token counts (there is no peer ID).
     */
    public FolderAccess accessTo(String folder) {
        FolderAccess own = access.get(folder);
        Set<PeerId> allowed = own == null ? Set.of() : own.allowed();
        Optional<Token> folderToken = own == null ? Optional.empty() : own.token();
        return new FolderAccess(allowed, folderToken.isPresent() ? folderToken : Optional.ofNullable(token));
    }

    /** With these folders' allowed IDs (over TLS only) and own tokens. */
    public ReceiverSettings withAccess(Map<String, FolderAccess> folderAccess) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, fsync, maxFileSize,
                limits, trash, partialMaxAge, identity, folderAccess);
    }

    /** Over TLS 1.3 as {@code me}, with these folders' allowed IDs and own tokens. */
    public ReceiverSettings withIdentity(Identity me, Map<String, FolderAccess> folderAccess) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, fsync, maxFileSize,
                limits, trash, partialMaxAge, Optional.of(me), folderAccess);
    }

    public boolean trashOn() {
        return !trash.isZero();
    }

    /**
     * The receiver-only settings (handshake timeout, wire limits) at their defaults; the configurable ones come from
     * the caller, which reads them from its {@code ReceiveConfig} (whose constants are their only defaults).
     */
    public static ReceiverSettings of(InetSocketAddress listen, Token token, Map<String, Path> folders, int maxConnections,
                                      Duration readTimeout, boolean fsync, long maxFileSize, Duration trash,
                                      Duration partialMaxAge) {
        return new ReceiverSettings(listen, token, folders, maxConnections, DEFAULT_HANDSHAKE_TIMEOUT, readTimeout, fsync,
                maxFileSize, WireLimits.defaults(), trash, partialMaxAge, Optional.empty(), Map.of());
    }

    /**
     * As {@link #of}, with an identity (TLS 1.3; {@code token} may then be null) and the folders' allowed IDs and own
     * tokens.
     */
    public static ReceiverSettings of(InetSocketAddress listen, Token token, Map<String, Path> folders, int maxConnections,
                                      Duration readTimeout, boolean fsync, long maxFileSize, Duration trash,
                                      Duration partialMaxAge, Identity identity, Map<String, FolderAccess> access) {
        return new ReceiverSettings(listen, token, folders, maxConnections, DEFAULT_HANDSHAKE_TIMEOUT, readTimeout, fsync,
                maxFileSize, WireLimits.defaults(), trash, partialMaxAge, Optional.of(identity), access);
    }

    public ReceiverSettings withMaxConnections(int n) {
        return new ReceiverSettings(listen, token, folders, n, handshakeTimeout, readTimeout, fsync, maxFileSize, limits, trash, partialMaxAge, identity, access);
    }

    public ReceiverSettings withTimeouts(Duration handshake, Duration read) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshake, read, fsync, maxFileSize, limits, trash, partialMaxAge, identity, access);
    }

    public ReceiverSettings withFsync(boolean on) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, on, maxFileSize, limits, trash, partialMaxAge, identity, access);
    }

    public ReceiverSettings withTrash(Duration keep) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, fsync, maxFileSize,
                limits, keep, partialMaxAge, identity, access);
    }

    public ReceiverSettings withPartialMaxAge(Duration age) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, fsync, maxFileSize,
                limits, trash, age, identity, access);
    }

    public ReceiverSettings withMaxFileSize(long bytes) {
        return new ReceiverSettings(listen, token, folders, maxConnections, handshakeTimeout, readTimeout, fsync, bytes, limits, trash, partialMaxAge, identity, access);
    }
}
