package dev.ferry.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Who may write one receive folder: the peer IDs it lists ({@code allow}) and, for the shared-token mode, the token
 * whose proof opens it (the folder's own {@code token-file}, else the {@code receive} section's). In identity mode a
 * folder with neither accepts nobody. Read-only access (a listing without writes) is not a separate right: whoever
 * may write a folder may list it.
 *
 * @param allowed IDs whose TLS handshake proved their key; empty: none
 * @param token   the token whose proof opens the folder; empty: no token opens it
 */
public record FolderAccess(Set<PeerId> allowed, Optional<Token> token) {
    public FolderAccess {
        allowed = Set.copyOf(allowed);
        Objects.requireNonNull(token, "token");
    }

    /** Token mode: the token opens the folder, no ID does. */
    public static FolderAccess byToken(Token token) {
        return new FolderAccess(Set.of(), Optional.of(token));
    }

    /**
     * Whether the peer may write the folder.
     *
     * @param peer     the ID the peer proved in the TLS handshake; null over plaintext
     * @param proofOk  the peer's AUTH proof checks against {@link #token()}
     */
    public boolean admits(PeerId peer, boolean proofOk) {
        return (peer != null && allowed.contains(peer)) || (token.isPresent() && proofOk);
    }

    /**
     * What a refused peer is told (and the receiver logs): over TLS {@code peer ID X is not allowed on folder 'F'},
     * with why when it helps; over plaintext, that the token does not match. Never a secret.
     *
     * @param folder     the folder as the peer asked for it, printable
     * @param proofGiven the peer sent a proof (not the all-zero one of a sender without a token)
     */
    public String refusal(PeerId peer, String folder, boolean proofGiven) {
        if (peer == null) {
            return "authentication failed: the token does not match";
        }
        String base = "peer ID " + peer + " is not allowed on folder '" + folder + "'";
        if (allowed.isEmpty() && token.isEmpty()) {
            return base + " (the folder allows no IDs: list some under its allow, or --allow " + folder + "=ID)";
        }
        if (proofGiven && token.isPresent()) {
            return base + " (and its token does not match)";
        }
        return base;
    }
}
