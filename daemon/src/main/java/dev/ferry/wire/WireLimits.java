package dev.ferry.wire;

/**
 * Bounds the decoder enforces before it allocates anything. Every length read from the network is checked
 * against these and against the bytes remaining in the frame.
 *
 * @param maxChunkLength largest CHUNK payload accepted (and the largest chunk size a sender may offer)
 * @param maxFrameLength largest frame (type byte + payload); must leave room for a full CHUNK
 */
public record WireLimits(int maxChunkLength, int maxFrameLength) {
    public static final int MIN_CHUNK = 4 * 1024;
    public static final int DEFAULT_MAX_CHUNK = 8 * 1024 * 1024;
    /** Headroom over the largest chunk for the CHUNK header and for hash lists / NEED ranges. */
    static final int FRAME_HEADROOM = 64 * 1024;

    public WireLimits {
        if (maxChunkLength < MIN_CHUNK) {
            throw new IllegalArgumentException("maxChunkLength=" + maxChunkLength + " < " + MIN_CHUNK);
        }
        if (maxFrameLength < maxChunkLength + Protocol.CHUNK_HEADER_LENGTH + 1) {
            throw new IllegalArgumentException("maxFrameLength=" + maxFrameLength + " cannot hold a chunk of " + maxChunkLength);
        }
    }

    public static WireLimits defaults() {
        return forChunk(DEFAULT_MAX_CHUNK);
    }

    public static WireLimits forChunk(int maxChunkLength) {
        return new WireLimits(maxChunkLength, maxChunkLength + FRAME_HEADROOM);
    }

    /** Hash-list entries one OFFER/HASHES frame may carry: keeps those frames well under {@link #maxFrameLength}. */
    public int maxHashesPerFrame(int digestLength) {
        return Math.min(65_536, (maxFrameLength - FRAME_HEADROOM / 2) / digestLength);
    }
}
