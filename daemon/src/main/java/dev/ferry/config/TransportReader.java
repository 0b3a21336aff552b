package dev.ferry.config;

import dev.ferry.auth.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the top-level {@code identity} and {@code transport} keys, which decide how this host talks to its peers:
 * with {@code identity: DIR}, TLS 1.3 with pinned IDs (the default whenever an identity is configured); without
 * one, only when the file says {@code transport: plaintext} — the shared token in the clear, for trusted LANs. A
 * config that says neither is refused, naming both fixes: no one should send in the clear by omission.
 */
final class TransportReader {
    static final String TLS = "tls";
    static final String PLAINTEXT = "plaintext";

    private TransportReader() {
    }

    /** The identity folder, loaded and checked (key owner-only, key matches certificate); empty: plaintext. */
    static Optional<Path> identity(Section top, PathResolver paths) throws ConfigException {
        Field identity = top.get("identity");
        Field transport = top.get("transport");
        String mode = transport == null ? null : transport.text();
        if (transport != null && !mode.equals(TLS) && !mode.equals(PLAINTEXT)) {
            throw transport.error("\"" + mode + "\" is not a transport; use tls (with identity: DIR) or plaintext");
        }
        if (identity == null) {
            if (PLAINTEXT.equals(mode)) {
                return Optional.empty();
            }
            if (transport != null) {
                throw transport.error("tls needs an identity: add \"identity: /etc/ferry/identity\" (make it with ferry"
                        + " keygen /etc/ferry/identity), or write transport: plaintext");
            }
            throw top.error("no identity and no transport: configure \"identity: DIR\" (made by ferry keygen DIR; TLS"
                    + " with pinned IDs), or write \"transport: plaintext\" to send in the clear with the token (trusted"
                    + " LANs only)").withKey("identity");
        }
        if (PLAINTEXT.equals(mode)) {
            throw transport.error("plaintext contradicts identity (line " + identity.line() + "): with an identity ferry"
                    + " talks TLS; remove transport or identity");
        }
        Path dir = paths.path(identity);
        if (!Files.isDirectory(dir)) {
            throw identity.error(dir + " is not a directory; make an identity with: ferry keygen " + dir);
        }
        try {
            Identity.load(dir);
        } catch (IOException e) {
            throw identity.error(e.getMessage());
        }
        return Optional.of(dir);
    }
}
