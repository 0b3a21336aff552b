package dev.ferry.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;

/**
 * XXH3-128 (seed 0, default secret) of inputs longer than 240 bytes, read straight from a {@link ByteBuffer} —
 * heap or direct — so that a chunk in a direct buffer is hashed where it lies, without a copy into a byte array
 * (hash4j reads byte arrays only). Written from the XXH3 specification (xxhash.h, "long input" path: 64-byte
 * stripes accumulated into eight lanes, the lanes scrambled after every 1 KiB block, the last stripe taken from the
 * end of the input, then two merges of the lanes for the two halves). Shorter inputs take hash4j's code on a copy
 * ({@link ChunkDigester}); {@code ChunkDigesterTest} checks every length against hash4j.
 */
final class Xxh3Long {
    static final int MIN_LENGTH = 241;

    private static final VarHandle LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long PRIME32_1 = 0x9E3779B1L;
    private static final long PRIME32_2 = 0x85EBCA77L;
    private static final long PRIME32_3 = 0xC2B2AE3DL;
    private static final long PRIME64_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME64_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME64_3 = 0x165667B19E3779F9L;
    private static final long PRIME64_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME64_5 = 0x27D4EB2F165667C5L;
    private static final long PRIME_MX1 = 0x165667919E3779F9L;

    /** The specification's default 192-byte secret, as 24 little-endian words. */
    private static final long[] SECRET_WORDS = {
        0xbe4ba423396cfeb8L, 0x1cad21f72c81017cL, 0xdb979083e96dd4deL, 0x1f67b3b7a4a44072L,
        0x78e5c0cc4ee679cbL, 0x2172ffcc7dd05a82L, 0x8e2443f7744608b8L, 0x4c263a81e69035e0L,
        0xcb00c391bb52283cL, 0xa32e531b8b65d088L, 0x4ef90da297486471L, 0xd8acdea946ef1938L,
        0x3f349ce33f76faa8L, 0x1d4f0bc7c7bbdcf9L, 0x3159b4cd4be0518aL, 0x647378d9c97e9fc8L,
        0xc3ebd33483acc5eaL, 0xeb6313faffa081c5L, 0x49daf0b751dd0d17L, 0x9e68d429265516d3L,
        0xfca1477d58be162bL, 0xce31d07ad1b8f88fL, 0x280416958f3acb45L, 0x7e404bbbcafbd7afL,
    };
    private static final int SECRET_SIZE = 192;
    private static final int STRIPE = 64;
    private static final int STRIPES_PER_BLOCK = (SECRET_SIZE - STRIPE) / 8; // 16
    private static final int BLOCK = STRIPE * STRIPES_PER_BLOCK; // 1024
    /** One block, as words. */
    static final int SCRATCH_WORDS = BLOCK / 8;

    /** Secret words at every byte offset: KEY[o] = the little-endian long at byte o of the secret. */
    private static final long[] KEY = new long[SECRET_SIZE - 7];

    static {
        ByteBuffer s = ByteBuffer.allocate(SECRET_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : SECRET_WORDS) {
            s.putLong(w);
        }
        for (int o = 0; o < KEY.length; o++) {
            KEY[o] = s.getLong(o);
        }
    }

    private Xxh3Long() {
    }

    /**
     * Hash of {@code buf[pos, pos + len)} (absolute positions; the buffer's own position and limit are left alone).
     * Writes the high half then the low half, each big-endian, into {@code out[outOff, outOff + 16)} — the byte
     * order {@link ChunkDigester} uses for hash4j's result. {@code scratch} ({@value #SCRATCH_WORDS} words) is the
     * caller's, so that hashing allocates nothing per call.
     */
    static void hash(ByteBuffer buf, int pos, int len, byte[] out, int outOff, long[] scratch) {
        if (len < MIN_LENGTH) {
            throw new IllegalArgumentException("len=" + len + " < " + MIN_LENGTH);
        }
        long a0 = PRIME32_3, a1 = PRIME64_1, a2 = PRIME64_2, a3 = PRIME64_3;
        long a4 = PRIME64_4, a5 = PRIME32_2, a6 = PRIME64_5, a7 = PRIME32_1;
        int blocks = (len - 1) / BLOCK;
        int stripesInLast = ((len - 1) - BLOCK * blocks) / STRIPE;
        // Each 1 KiB block is copied into a long[] (one bulk copy) and read from there: a one-shot push runs on C1,
        // which reads an array 1.75x faster than through a VarHandle per word (0.18 vs 0.33 s/GiB here; C2 ~5-15%
        // slower instead, 0.16-0.18 vs 0.15).
        LongBuffer words = buf.duplicate().clear().position(pos).limit(pos + len).slice().order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer();
        long[] w = scratch;
        long[] key = KEY;
        // stripe n of a block reads the secret at 8 * n; a full block ends in a scramble of the lanes
        for (int b = 0; b <= blocks; b++) {
            int stripes = b < blocks ? STRIPES_PER_BLOCK : stripesInLast;
            words.get(b * (BLOCK / 8), w, 0, stripes * 8);
            for (int n = 0, o = 0; n < stripes; n++, o += 8) {
                long d0 = w[o], d1 = w[o + 1], d2 = w[o + 2], d3 = w[o + 3];
                long k0 = d0 ^ key[o], k1 = d1 ^ key[o + 8], k2 = d2 ^ key[o + 16], k3 = d3 ^ key[o + 24];
                a0 += d1 + (k0 & 0xFFFFFFFFL) * (k0 >>> 32);
                a1 += d0 + (k1 & 0xFFFFFFFFL) * (k1 >>> 32);
                a2 += d3 + (k2 & 0xFFFFFFFFL) * (k2 >>> 32);
                a3 += d2 + (k3 & 0xFFFFFFFFL) * (k3 >>> 32);
                long d4 = w[o + 4], d5 = w[o + 5], d6 = w[o + 6], d7 = w[o + 7];
                long k4 = d4 ^ key[o + 32], k5 = d5 ^ key[o + 40], k6 = d6 ^ key[o + 48], k7 = d7 ^ key[o + 56];
                a4 += d5 + (k4 & 0xFFFFFFFFL) * (k4 >>> 32);
                a5 += d4 + (k5 & 0xFFFFFFFFL) * (k5 >>> 32);
                a6 += d7 + (k6 & 0xFFFFFFFFL) * (k6 >>> 32);
                a7 += d6 + (k7 & 0xFFFFFFFFL) * (k7 >>> 32);
            }
            if (b < blocks) {
                int s = SECRET_SIZE - STRIPE;
                a0 = (a0 ^ (a0 >>> 47) ^ key[s]) * PRIME32_1;
                a1 = (a1 ^ (a1 >>> 47) ^ key[s + 8]) * PRIME32_1;
                a2 = (a2 ^ (a2 >>> 47) ^ key[s + 16]) * PRIME32_1;
                a3 = (a3 ^ (a3 >>> 47) ^ key[s + 24]) * PRIME32_1;
                a4 = (a4 ^ (a4 >>> 47) ^ key[s + 32]) * PRIME32_1;
                a5 = (a5 ^ (a5 >>> 47) ^ key[s + 40]) * PRIME32_1;
                a6 = (a6 ^ (a6 >>> 47) ^ key[s + 48]) * PRIME32_1;
                a7 = (a7 ^ (a7 >>> 47) ^ key[s + 56]) * PRIME32_1;
            }
        }
        // the last stripe overlaps: it is the input's final 64 bytes (at any byte offset), with its own secret offset
        int at = pos + len - STRIPE;
        int k = SECRET_SIZE - STRIPE - 7;
        long d0 = (long) LONG_LE.get(buf, at), d1 = (long) LONG_LE.get(buf, at + 8);
        long d2 = (long) LONG_LE.get(buf, at + 16), d3 = (long) LONG_LE.get(buf, at + 24);
        long d4 = (long) LONG_LE.get(buf, at + 32), d5 = (long) LONG_LE.get(buf, at + 40);
        long d6 = (long) LONG_LE.get(buf, at + 48), d7 = (long) LONG_LE.get(buf, at + 56);
        long k0 = d0 ^ key[k], k1 = d1 ^ key[k + 8], k2 = d2 ^ key[k + 16], k3 = d3 ^ key[k + 24];
        long k4 = d4 ^ key[k + 32], k5 = d5 ^ key[k + 40], k6 = d6 ^ key[k + 48], k7 = d7 ^ key[k + 56];
        a0 += d1 + (k0 & 0xFFFFFFFFL) * (k0 >>> 32);
        a1 += d0 + (k1 & 0xFFFFFFFFL) * (k1 >>> 32);
        a2 += d3 + (k2 & 0xFFFFFFFFL) * (k2 >>> 32);
        a3 += d2 + (k3 & 0xFFFFFFFFL) * (k3 >>> 32);
        a4 += d5 + (k4 & 0xFFFFFFFFL) * (k4 >>> 32);
        a5 += d4 + (k5 & 0xFFFFFFFFL) * (k5 >>> 32);
        a6 += d7 + (k6 & 0xFFFFFFFFL) * (k6 >>> 32);
        a7 += d6 + (k7 & 0xFFFFFFFFL) * (k7 >>> 32);
        long[] acc = {a0, a1, a2, a3, a4, a5, a6, a7};
        long low = merge(acc, 11, len * PRIME64_1);
        long high = merge(acc, SECRET_SIZE - STRIPE - 11, ~(len * PRIME64_2));
        putLongBigEndian(out, outOff, high);
        putLongBigEndian(out, outOff + 8, low);
    }

    private static long merge(long[] acc, int keyOffset, long start) {
        long result = start;
        for (int i = 0; i < 4; i++) {
            long x = acc[2 * i] ^ KEY[keyOffset + 16 * i];
            long y = acc[2 * i + 1] ^ KEY[keyOffset + 16 * i + 8];
            result += x * y ^ Math.unsignedMultiplyHigh(x, y);
        }
        result ^= result >>> 37;
        result *= PRIME_MX1;
        return result ^ (result >>> 32);
    }

    private static void putLongBigEndian(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
