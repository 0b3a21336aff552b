package dev.ferry.push;

/**
 * Hears the progress of each file a session carries: the daemon's journal records it, metrics can count it.
 * Called on the session's writer thread, in protocol order for one file; a daemon target with several connections
 * calls one listener from several threads. Must be quick and must not throw.
 */
public interface TransferListener {
    /** The file goes out now, {@code chunkCount} chunks of {@code chunkSize} bytes (not for directories). */
    default void started(SourceEntry file, int chunkSize, int chunkCount, byte[] fileHash) {
    }

    /** The receiver acknowledged chunk {@code index}. */
    default void acked(SourceEntry file, int index) {
    }

    /** The receiver refused chunk {@code index} (attempt {@code attempt}); it is sent again after a backoff. */
    default void refused(SourceEntry file, int index, int attempt, String reason) {
    }

    /** DONE: the file is in place and durable on the receiver. */
    default void committed(SourceEntry file) {
    }

    /**
     * DONE, and whether the receiver already held this exact file (no chunk went out). The session calls this one;
     * by default it is {@link #committed(SourceEntry)}.
     */
    default void committed(SourceEntry file, boolean identical) {
        committed(file);
    }

    /** Given up in this session (the reason is also in the session's result). */
    default void failed(SourceEntry file, String reason) {
    }

    TransferListener NONE = new TransferListener() {
    };
}
