package dev.ferry.hash;

import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import dev.ferry.wire.HashAlgorithm;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes one algorithm's digest of byte ranges. Not thread-safe (SHA-256 keeps state): one per thread.
 */
public abstract sealed class ChunkDigester {
    private final HashAlgorithm algorithm;

    private ChunkDigester(HashAlgorithm algorithm) {
        this.algorithm = algorithm;
    }

    public static ChunkDigester of(HashAlgorithm algorithm) {
        return switch (algorithm) {
            case XXH3_128 -> new Xxh3();
            case SHA_256 -> new Sha256();
        };
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** Writes the digest of {@code data[off, off+len)} into {@code out[outOff, outOff + digestLength)}. */
    public abstract void digest(byte[] data, int off, int len, byte[] out, int outOff);

    /**
     * Writes the digest of {@code data}'s bytes from its position to its limit into {@code out[outOff, ...)}; the
     * buffer's position and limit are left alone. A direct buffer is hashed where it lies.
     */
    public abstract void digest(ByteBuffer data, byte[] out, int outOff);

    public byte[] digest(byte[] data, int off, int len) {
        byte[] out = new byte[algorithm.digestLength()];
        digest(data, off, len, out, 0);
        return out;
    }

    private static final class Xxh3 extends ChunkDigester {
        private static final Hasher128 HASHER = Hashing.xxh3_128();

        Xxh3() {
            super(HashAlgorithm.XXH3_128);
        }

        @Override
        public void digest(byte[] data, int off, int len, byte[] out, int outOff) {
            var v = HASHER.hashBytesTo128Bits(data, off, len);
            putLong(out, outOff, v.getMostSignificantBits());
            putLong(out, outOff + 8, v.getLeastSignificantBits());
        }

        /** Inputs too short for {@link Xxh3Long} are copied here first (a chunk is that short only at a file's end). */
        private final byte[] shortInput = new byte[Xxh3Long.MIN_LENGTH - 1];
        /** {@link Xxh3Long}'s block buffer, kept: an index hashes 100,000 small files with one digester. */
        private final long[] scratch = new long[Xxh3Long.SCRATCH_WORDS];

        @Override
        public void digest(ByteBuffer data, byte[] out, int outOff) {
            int len = data.remaining();
            if (len >= Xxh3Long.MIN_LENGTH) {
                Xxh3Long.hash(data, data.position(), len, out, outOff, scratch);
            } else {
                data.get(data.position(), shortInput, 0, len);
                digest(shortInput, 0, len, out, outOff);
            }
        }

        private static void putLong(byte[] b, int at, long v) {
            for (int i = 7; i >= 0; i--) {
                b[at + i] = (byte) v;
                v >>>= 8;
            }
        }
    }

    private static final class Sha256 extends ChunkDigester {
        private final MessageDigest md;

        Sha256() {
            super(HashAlgorithm.SHA_256);
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JDK", e);
            }
        }

        @Override
        public void digest(byte[] data, int off, int len, byte[] out, int outOff) {
            md.update(data, off, len);
            finish(out, outOff);
        }

        @Override
        public void digest(ByteBuffer data, byte[] out, int outOff) {
            md.update(data.duplicate());
            finish(out, outOff);
        }

        private void finish(byte[] out, int outOff) {
            try {
                md.digest(out, outOff, 32);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
