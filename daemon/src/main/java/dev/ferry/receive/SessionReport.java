package dev.ferry.receive;

/**
 * How one session tells its receiver what status shows of it: the folder once the handshake authenticated, and the
 * files it is receiving with their progress. Called from the session's thread only; the receiver reads what it
 * was told from any thread ({@link OpenConnections}).
 */
interface SessionReport {
    /**
     * The handshake authenticated the peer for {@code folder}; {@code peerId} is the ID it proved over TLS, null over
     * plaintext.
     *
     * @throws dev.ferry.wire.ProtocolException (UNAVAILABLE) if the receiver has no room for another session
     */
    void authenticated(String folder, String peerId) throws dev.ferry.wire.ProtocolException;

    /** A file started: {@code path} relative to the folder, {@code size} bytes. */
    void receiving(int fileId, String path, long size);

    /** {@code bytesDone} of the file's bytes are verified and written (or taken from what the receiver held). */
    void progress(int fileId, long bytesDone);

    /** The file ended: committed, failed, given up, or kept as a partial for a later attempt. */
    void ended(int fileId);
}
