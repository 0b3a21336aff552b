package dev.ferry.wire;

/**
 * The fixed numbers of protocol v1 and v2: its version and magic, the sizes of the frame header, the CHUNK header, the
 * handshake's nonce and proof, and the largest field or list a frame may carry. Every frame class and every peer
 * reads them from here; the configurable limits are in {@link WireLimits}. Sizes are in bytes.
 */
public final class Protocol {
    /**
     * The highest protocol version this code speaks (HELLO offers {@link #MIN_VERSION}..VERSION; CHALLENGE picks
     * one). Version 2 is version 1 plus a features word at the end of AUTH (what the sender asks for) and of WELCOME
     * (what the receiver grants); absent, it is 0.
     */
    public static final int VERSION = 2;
    /** The lowest version this code still speaks: with a version-1 peer, no features (no compression). */
    public static final int MIN_VERSION = 1;
    /** The first version whose AUTH and WELCOME may carry a features word. */
    public static final int FEATURES_VERSION = 2;
    /** Feature bit: CHUNK_ZSTD frames (zstd-compressed chunks) from the sender. */
    public static final int FEATURE_ZSTD = 0x1;
    /**
     * Feature bit: parallel streams. The sender may SHARE a file it offers and JOIN that file from its other
     * connections, whose CHUNKs are written into the same partial file.
     */
    public static final int FEATURE_STREAMS = 0x2;
    /** Every feature bit this code knows; a receiver grants only these. */
    public static final int KNOWN_FEATURES = FEATURE_ZSTD | FEATURE_STREAMS;
    /** The secret a SHARE gives a file and a JOIN must name: 128 random bits of the sender's. */
    public static final int SHARE_KEY_LENGTH = 16;
    /** The first four bytes of HELLO's payload: "FRRY". */
    public static final int MAGIC = 0x46525259;
    public static final int NONCE_LENGTH = 32;
    /** HMAC-SHA256 of the token over both nonces and the folder. */
    public static final int PROOF_LENGTH = 32;
    /** Every frame's header: u32 length + u8 type. */
    public static final int HEADER_LENGTH = 5;
    /** CHUNK's header after the frame header: fileId, index, length, crc32c. */
    public static final int CHUNK_HEADER_LENGTH = 16;
    public static final int MAX_PATH_BYTES = 4096;
    /** A folder or software name in the handshake. */
    public static final int MAX_NAME_BYTES = 255;
    /** An ERROR's message. */
    public static final int MAX_MESSAGE_BYTES = 2048;
    /** Chunk index ranges in one NEED. */
    public static final int MAX_RANGES_PER_FRAME = 65_536;
    /** Entries in one LISTING frame; a longer listing continues in the next (the MORE flag). */
    public static final int MAX_LISTING_ENTRIES = 4096;
    /**
     * Entries in one whole listing (all the LISTING frames of one LIST) a sender takes: a receiver that sends more
     * fails the listing instead of filling the sender's memory. 20 million entries is some 4 GB of sender heap.
     */
    public static final int MAX_LISTED_ENTRIES = 20_000_000;

    private Protocol() {
    }
}
