package dev.ferry.receive;

import dev.ferry.auth.FolderAccess;
import dev.ferry.auth.PeerId;
import dev.ferry.auth.Proof;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;

/**
 * The receiver's side of the handshake: HELLO → CHALLENGE → AUTH → WELCOME, or a {@link ProtocolException} that
 * ends the session. Runs on the session's thread, before anything else is read from the peer.
 */
final class ReceiverHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The peer may write the folder it asked for, which this receiver serves.
     *
     * @param features the {@link Protocol#FEATURE_ZSTD feature bits} granted in WELCOME (0 with a version-1 peer)
     */
    record Accepted(String folder, Path root, int features) {
    }

    private ReceiverHandshake() {
    }

    /**
     * For a folder this receiver does not serve: the access of a folder that admits exactly who some folder admits
     * by ID, with the section's token (so a peer that may write somewhere learns the name is wrong).
     */
    private static FolderAccess anyFolder(ReceiverSettings settings, PeerId peerId) {
        boolean allowedSomewhere = peerId != null && settings.folders().keySet().stream()
                .anyMatch(name -> settings.accessTo(name).allowed().contains(peerId));
        return new FolderAccess(allowedSomewhere ? Set.of(peerId) : Set.of(), Optional.ofNullable(settings.token()));
    }

    /**
     * Runs the handshake; the folder's state is tidied before WELCOME goes out. Whether the peer may write the folder
     * is the folder's {@link FolderAccess}: its ID (proved by TLS) is allowed, or its proof checks against the token.
     * A peer allowed nowhere is refused whether the folder exists or not, so it cannot probe names; one allowed
     * somewhere is told of an unknown folder.
     *
     * @param peerId the ID the peer proved in the TLS handshake; null over plaintext
     * @param auth   told of each failed and each successful authentication
     * @param admit  called with the folder once the peer may write it, before WELCOME: it takes the session's place
     *               (or throws UNAVAILABLE), so a sender that was welcomed holds one
     */
    static Accepted run(FrameChannel channel, ReceiverSettings settings, PeerId peerId, StateTidier tidier,
                        AuthFailures auth, Admission admit) throws IOException {
        if (!(channel.read() instanceof HandshakeFrame.Hello hello)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected HELLO as the first frame");
        }
        if (hello.minVersion() > Protocol.VERSION || hello.maxVersion() < Protocol.MIN_VERSION
                || hello.minVersion() > hello.maxVersion()) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol versions "
                    + hello.minVersion() + ".." + hello.maxVersion() + ", this receiver speaks " + Protocol.MIN_VERSION + ".."
                    + Protocol.VERSION);
        }
        int version = Math.min(hello.maxVersion(), Protocol.VERSION); // the highest both speak
        byte[] serverNonce = new byte[32];
        RANDOM.nextBytes(serverNonce);
        channel.send(new HandshakeFrame.Challenge(version, serverNonce));
        if (!(channel.read() instanceof HandshakeFrame.Auth proof)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected AUTH after CHALLENGE");
        }
        String folder = SafePaths.printable(hello.folder());
        Path dir = settings.folders().get(hello.folder());
        FolderAccess access = dir != null ? settings.accessTo(hello.folder()) : anyFolder(settings, peerId);
        boolean proofGiven = !MessageDigest.isEqual(proof.proof(), new byte[proof.proof().length]);
        boolean proofOk = proofGiven && access.token().isPresent()
                && Proof.verify(access.token().get(), hello.clientNonce(), serverNonce, hello.folder(), proof.proof());
        if (!access.admits(peerId, proofOk)) {
            auth.failed(channel.peer(), folder, peerId == null ? "wrong token" : "ID " + peerId + " is not allowed");
            throw new ProtocolException(ErrorCode.AUTH_FAILED, access.refusal(peerId, folder, proofGiven));
        }
        auth.succeeded(channel.peer(), folder);
        if (dir == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_FOLDER, "no folder named '" + SafePaths.printable(hello.folder())
                    + "' on this receiver");
        }
        Path root = dir.toRealPath();
        tidier.tidy(hello.folder(), root);
        admit.admit(hello.folder());
        // grants what the sender asked for and this code knows; a version-1 AUTH asks for nothing
        int features = version >= Protocol.FEATURES_VERSION ? proof.features() & Protocol.KNOWN_FEATURES : 0;
        if ((features & Protocol.FEATURE_ZSTD) != 0) {
            channel.acceptCompressedChunks(); // before WELCOME: the sender's first CHUNK_ZSTD may follow it at once
        }
        channel.send(new HandshakeFrame.Welcome(settings.limits().maxChunkLength(), settings.maxFileSize(), features));
        return new Accepted(hello.folder(), root, features);
    }

    /** Lets an authenticated peer in, or refuses it. */
    @FunctionalInterface
    interface Admission {
        /** @throws ProtocolException (UNAVAILABLE) if there is no room for another session */
        void admit(String folder) throws ProtocolException;
    }
}
