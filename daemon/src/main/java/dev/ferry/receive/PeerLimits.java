package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;

/**
 * What one receiver grants peers beyond the configured settings: how many connections may sit in the handshake
 * (from one address, and in all), and what one authenticated session may make it hold in memory. Every number a
 * peer sends that would make the receiver allocate (a chunk count, a file in flight) is checked against these
 * before the allocation; the frame-level bounds (lengths, list sizes) are the decoder's ({@code WireLimits},
 * {@code Protocol}).
 *
 * <p>Connections are counted in two pools: at most {@code maxConnections} (the setting) authenticated sessions,
 * and, apart from them, at most {@link #maxHandshakes} connections that have not authenticated yet, of which at
 * most {@link #maxHandshakesPerAddress} from one IP address. So idle or half-open connections cannot take the
 * sessions' places, and when the handshake pool is full a newcomer takes the place of the oldest connection of the
 * address holding the most (see {@link HandshakeGate}).
 *
 * @param maxHandshakesPerAddress connections from one IP address still in the handshake; one more is refused
 * @param maxHandshakes           connections still in the handshake, from all addresses together
 * @param maxFilesInFlight        files one session may have offered and not finished; one more fails with BUSY
 * @param maxChunksPerFile        chunks one offered file may have (the receiver holds two hashes per chunk)
 * @param maxHashBytes            bytes of chunk hashes all sessions together may make the receiver hold
 */
record PeerLimits(int maxHandshakesPerAddress, int maxHandshakes, int maxFilesInFlight, int maxChunksPerFile,
                  long maxHashBytes) {
    static final int DEFAULT_HANDSHAKES_PER_ADDRESS = 8;
    static final int DEFAULT_HANDSHAKES = 256;
    /** Four times a sender's default window (64 files in flight). */
    static final int DEFAULT_FILES_IN_FLIGHT = 256;
    /** 2 TiB in 1 MiB chunks (the default chunk size); a file of more chunks needs a larger chunk size. */
    static final int DEFAULT_CHUNKS_PER_FILE = 1 << 21;
    /** The most the hashes may take: what one largest file needs with SHA-256 (2 x 32 bytes a chunk), twice. */
    static final long MAX_HASH_BYTES = 2L * DEFAULT_CHUNKS_PER_FILE * 64;

    PeerLimits {
        if (maxHandshakesPerAddress < 1 || maxHandshakes < maxHandshakesPerAddress || maxFilesInFlight < 1
                || maxChunksPerFile < 1 || maxHashBytes < 1) {
            throw new IllegalArgumentException("peer limits out of range: " + this);
        }
    }

    /** The defaults; the hash budget is at most a quarter of the heap, so that it runs out before the heap does. */
    static PeerLimits defaults() {
        return new PeerLimits(DEFAULT_HANDSHAKES_PER_ADDRESS, DEFAULT_HANDSHAKES, DEFAULT_FILES_IN_FLIGHT,
                DEFAULT_CHUNKS_PER_FILE, Math.min(MAX_HASH_BYTES, Runtime.getRuntime().maxMemory() / 4));
    }

    /**
     * Checks an offered file against these limits before anything of its size is allocated, and reserves its chunk
     * hashes in {@code budget}; returns the bytes reserved (the caller gives them back when the file ends).
     *
     * @param inFlight files the offering session has in flight now
     * @throws FileFailure BUSY (too many files in flight, or the budget is spent: retry later) or TOO_LARGE (too
     *                     many chunks: the sender needs a larger chunk size)
     */
    long admit(Frame.Offer o, int inFlight, HashBudget budget) throws FileFailure {
        if (inFlight >= maxFilesInFlight) {
            throw new FileFailure(ErrorCode.BUSY, "this connection has " + inFlight + " files in flight, the most this"
                    + " receiver takes; offer more when some are done");
        }
        if (o.chunkCount() > maxChunksPerFile) {
            throw new FileFailure(ErrorCode.TOO_LARGE, "'" + SafePaths.printable(o.path()) + "' has " + o.chunkCount()
                    + " chunks, this receiver takes at most " + maxChunksPerFile + " per file; use a larger chunk size");
        }
        long bytes = HashBudget.cost(o.chunkCount(), o.algorithm().digestLength());
        if (!budget.tryReserve(bytes)) {
            throw new FileFailure(ErrorCode.BUSY, "'" + SafePaths.printable(o.path()) + "' needs " + bytes + " bytes of chunk"
                    + " hashes, and the receiver holds " + budget.held() + " of at most " + budget.max()
                    + " for files in flight; retry later");
        }
        return bytes;
    }

    PeerLimits withHandshakes(int perAddress, int total) {
        return new PeerLimits(perAddress, total, maxFilesInFlight, maxChunksPerFile, maxHashBytes);
    }

    PeerLimits withFiles(int filesInFlight, int chunksPerFile, long hashBytes) {
        return new PeerLimits(maxHandshakesPerAddress, maxHandshakes, filesInFlight, chunksPerFile, hashBytes);
    }
}
