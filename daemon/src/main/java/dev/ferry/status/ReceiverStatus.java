package dev.ferry.status;

import java.time.Instant;
import java.util.List;

/**
 * The receiver of a daemon (or of {@code ferry receive}).
 *
 * @param listen       the bound address, {@code host:port}
 * @param folders      the folders it serves, by name (sorted)
 * @param peers        connections open now
 * @param transfers    files being received now
 * @param partialsKept partial files kept for resume, over all folders
 * @param counters     totals since it started
 */
public record ReceiverStatus(String listen, List<String> folders, List<Peer> peers, List<Transfer> transfers,
                             long partialsKept, ReceiverCounters counters) {
    public ReceiverStatus {
        folders = List.copyOf(folders);
        peers = List.copyOf(peers);
        transfers = List.copyOf(transfers);
    }

    /**
     * One open connection.
     *
     * @param address the peer's {@code ip:port}
     * @param folder  the folder it authenticated for, or null during the handshake
     * @param since   when it connected
     * @param id      the ID it proved in the TLS handshake, or null (plaintext, or the handshake is not over)
     */
    public record Peer(String address, String folder, Instant since, String id) {
        /** A peer known by address only. */
        public Peer(String address, String folder, Instant since) {
            this(address, folder, since, null);
        }

        /** Whether it is still in its handshake (connections by state, for metrics). */
        public boolean handshaking() {
            return folder == null;
        }
    }

    /**
     * One file being received.
     *
     * @param folder    the folder's name
     * @param path      relative to the folder
     * @param peer      the sender's {@code ip:port}
     * @param size      the file's size
     * @param bytesDone bytes received and verified so far
     */
    public record Transfer(String folder, String path, String peer, long size, long bytesDone) {
    }
}
