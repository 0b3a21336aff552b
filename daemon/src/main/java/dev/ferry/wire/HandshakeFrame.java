package dev.ferry.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * The handshake's messages (HELLO, CHALLENGE, AUTH, WELCOME: docs/PROTOCOL.md), before any file moves; the rest of
 * a session's messages are {@link Frame}'s own records.
 */
public sealed interface HandshakeFrame extends Frame {

    /** Client's first frame: protocol versions it speaks, the folder it wants, its nonce. */
    record Hello(int minVersion, int maxVersion, String folder, byte[] clientNonce, String software) implements HandshakeFrame {
        public Hello {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(software, "software");
            FrameChecks.length("clientNonce", clientNonce, Protocol.NONCE_LENGTH);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hello h && minVersion == h.minVersion && maxVersion == h.maxVersion
                    && folder.equals(h.folder) && Arrays.equals(clientNonce, h.clientNonce) && software.equals(h.software);
        }

        @Override
        public int hashCode() {
            return Objects.hash(minVersion, maxVersion, folder, Arrays.hashCode(clientNonce), software);
        }

        @Override
        public String toString() {
            return "Hello[versions=" + minVersion + ".." + maxVersion + ", folder=" + folder + ", software=" + software + "]";
        }
    }

    /** Server's answer to HELLO: the version it chose and its nonce. */
    record Challenge(int version, byte[] serverNonce) implements HandshakeFrame {
        public Challenge {
            FrameChecks.length("serverNonce", serverNonce, Protocol.NONCE_LENGTH);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Challenge c && version == c.version && Arrays.equals(serverNonce, c.serverNonce);
        }

        @Override
        public int hashCode() {
            return 31 * version + Arrays.hashCode(serverNonce);
        }

        @Override
        public String toString() {
            return "Challenge[version=" + version + "]";
        }
    }

    /**
     * Client's proof that it holds the token: HMAC-SHA256 over both nonces and the folder; from version 2 on, the
     * {@link Protocol#FEATURE_ZSTD features} it asks for (0: none, and then not on the wire).
     */
    record Auth(byte[] proof, int features) implements HandshakeFrame {
        public Auth {
            FrameChecks.length("proof", proof, Protocol.PROOF_LENGTH);
        }

        /** A proof asking for no feature (what a version-1 session sends). */
        public Auth(byte[] proof) {
            this(proof, 0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Auth a && Arrays.equals(proof, a.proof) && features == a.features;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(proof) * 31 + features;
        }

        @Override
        public String toString() {
            return "Auth[proof=redacted, features=0x" + Integer.toHexString(features) + "]";
        }
    }

    /**
     * Server accepted the client; the limits it enforces on this connection and, from version 2 on, the features it
     * grants of those AUTH asked for (0: none, and then not on the wire).
     */
    record Welcome(int maxChunkLength, long maxFileSize, int features) implements HandshakeFrame {
        /** A welcome granting no feature (what a version-1 session sends). */
        public Welcome(int maxChunkLength, long maxFileSize) {
            this(maxChunkLength, maxFileSize, 0);
        }
    }
}
