package dev.ferry.receive;

import dev.ferry.auth.Proof;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The receiver's side of the handshake: HELLO → CHALLENGE → AUTH → WELCOME, or a {@link ProtocolException} that
 * ends the session. Runs on the session's thread, before anything else is read from the peer.
 */
final class ReceiverHandshake {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The peer proved it holds the token and asked for a folder this receiver serves. */
    record Accepted(String folder, Path root) {
    }

    private ReceiverHandshake() {
    }

    /**
     * Runs the handshake; the folder's state is tidied before WELCOME goes out.
     *
     * @param auth told of each failed and each successful proof of the token
     */
    static Accepted run(FrameChannel channel, ReceiverSettings settings, StateTidier tidier, AuthFailures auth)
            throws IOException {
        if (!(channel.read() instanceof Frame.Hello hello)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected HELLO as the first frame");
        }
        if (hello.minVersion() > Protocol.VERSION || hello.maxVersion() < Protocol.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol versions "
                    + hello.minVersion() + ".." + hello.maxVersion() + ", this receiver speaks " + Protocol.VERSION + ".."
                    + Protocol.VERSION);
        }
        byte[] serverNonce = new byte[32];
        RANDOM.nextBytes(serverNonce);
        channel.send(new Frame.Challenge(Protocol.VERSION, serverNonce));
        if (!(channel.read() instanceof Frame.Auth proof)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected AUTH after CHALLENGE");
        }
        String folder = SafePaths.printable(hello.folder());
        if (!Proof.verify(settings.token(), hello.clientNonce(), serverNonce, hello.folder(), proof.proof())) {
            auth.failed(channel.peer(), folder);
            throw new ProtocolException(ErrorCode.AUTH_FAILED, "authentication failed: the token does not match");
        }
        auth.succeeded(channel.peer(), folder);
        Path dir = settings.folders().get(hello.folder());
        if (dir == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_FOLDER, "no folder named '" + SafePaths.printable(hello.folder())
                    + "' on this receiver");
        }
        Path root = dir.toRealPath();
        tidier.tidy(hello.folder(), root);
        channel.send(new Frame.Welcome(settings.limits().maxChunkLength(), settings.maxFileSize()));
        return new Accepted(hello.folder(), root);
    }
}
