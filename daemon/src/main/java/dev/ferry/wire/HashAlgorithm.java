package dev.ferry.wire;

/**
 * The strong per-chunk hash named in each OFFER, so that the algorithm can change without a new protocol
 * version. Only the identity and digest length live here; {@code dev.ferry.hash} computes them.
 */
public enum HashAlgorithm {
    /** XXH3 128-bit: non-cryptographic, ~20x SHA-256's speed here; the default (see docs/PROTOCOL.md). */
    XXH3_128(1, 16),
    /** SHA-256: cryptographic, hardware-accelerated on this machine class but on the critical path. */
    SHA_256(2, 32);

    private final int id;
    private final int digestLength;

    HashAlgorithm(int id, int digestLength) {
        this.id = id;
        this.digestLength = digestLength;
    }

    public int id() {
        return id;
    }

    public int digestLength() {
        return digestLength;
    }

    /** @throws ProtocolException naming the unknown id */
    public static HashAlgorithm byId(int id) throws ProtocolException {
        for (HashAlgorithm a : values()) {
            if (a.id == id) {
                return a;
            }
        }
        throw new ProtocolException(ErrorCode.UNSUPPORTED_HASH, "unknown hash algorithm id=" + id);
    }

    /** Parses a configuration / command-line name such as {@code xxh3-128} or {@code sha-256}. */
    public static HashAlgorithm byName(String name) {
        for (HashAlgorithm a : values()) {
            if (a.displayName().equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm '" + name + "' (known: xxh3-128, sha-256)");
    }

    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
