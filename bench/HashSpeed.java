// HashSpeed.java - single-thread speed of the candidate per-chunk hashes for the ferry wire protocol.
//
//   java -cp hash4j-0.25.0.jar bench/HashSpeed.java [bufferMiB=256] [rounds=2] [passesPerRound=6] [warmupPasses=3]
//   (bench/hash_speed.sh finds the JDK and the jar and saves the output to bench/results-hash-speed.txt)
//
// Method: one random in-memory buffer (256 MiB, far bigger than any CPU cache, like file data coming from the
// page cache). A "pass" hashes the whole buffer as consecutive chunks of the given size, one hash per chunk
// (reset, update, final: exactly what a sender does per chunk). Each (hash, chunk size) case gets warm-up passes
// (JIT) and then timed passes; the cases are interleaved round by round so that a noisy phase of the VM hits all
// of them, and the figure is the median over all timed passes (rounds x passesPerRound, >= 10 by default).
// MB/s = 10^6 bytes per second. "s/GiB" = CPU seconds one core spends hashing 1 GiB.
// Results go into a sink that is printed at the end, so the JIT cannot drop the work.

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

public class HashSpeed {

    /** Hashes buf[off, off+len) as one chunk and returns something derived from the hash (for the sink). */
    interface ChunkHash {
        long hash(byte[] buf, int off, int len) throws Exception;
    }

    record Case(String name, int chunk, ChunkHash fn, List<Double> mbps) {
        Case(String name, int chunk, ChunkHash fn) {
            this(name, chunk, fn, new ArrayList<>());
        }
    }

    static long sink;

    public static void main(String[] args) throws Exception {
        int bufMiB = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        byte[] buf = new byte[bufMiB << 20];
        new SplittableRandom(20261125L).nextBytes(buf);

        // sanity: hash4j's XXH3 against the reference value for the empty input (xxHash test vectors)
        if (Hashing.xxh3_64().hashBytesToLong(new byte[0]) != 0x2D06800538D394C2L) {
            throw new AssertionError("XXH3-64 of empty input does not match the reference value");
        }

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] digest = new byte[32];
        ChunkHash sha = (b, off, len) -> {
            sha256.update(b, off, len);
            sha256.digest(digest, 0, 32);
            return digest[0];
        };
        Hasher128 xxh128 = Hashing.xxh3_128();
        ChunkHash x128 = (b, off, len) -> {
            HashValue128 h = xxh128.hashBytesTo128Bits(b, off, len);
            return h.getLeastSignificantBits() ^ h.getMostSignificantBits();
        };
        Hasher64 xxh64 = Hashing.xxh3_64();
        ChunkHash x64 = xxh64::hashBytesToLong;
        CRC32C crc32c = new CRC32C();
        ChunkHash crc = (b, off, len) -> {
            crc32c.reset();
            crc32c.update(b, off, len);
            return crc32c.getValue();
        };

        List<Case> cases = new ArrayList<>(List.of(
                new Case("SHA-256 (MessageDigest)", 1 << 20, sha),
                new Case("XXH3-128 (hash4j)", 1 << 20, x128),
                new Case("XXH3-64 (hash4j)", 1 << 20, x64),
                new Case("CRC32C (java.util.zip)", 1 << 20, crc),
                new Case("SHA-256 (MessageDigest)", 64 << 10, sha),
                new Case("XXH3-128 (hash4j)", 64 << 10, x128),
                new Case("SHA-256 (MessageDigest)", 4 << 10, sha),
                new Case("XXH3-128 (hash4j)", 4 << 10, x128)));
        // BLAKE3: hash4j 0.25.0 has no BLAKE3 implementation (and the JDK has none), so it is skipped;
        // probed by reflection so that a later hash4j that adds it is measured automatically.
        ChunkHash blake3 = findBlake3();
        if (blake3 != null) {
            cases.add(new Case("BLAKE3 (hash4j)", 1 << 20, blake3));
        }

        System.out.printf("# buffer %d MiB random, %d rounds x %d timed passes per case (+%d warm-up passes in round 1, 1 later), "
                        + "one thread; MB/s = 1e6 B/s%n", bufMiB, rounds, passes, warmup);
        System.out.printf("# SHA-256 provider: %s%n", sha256.getProvider());
        if (blake3 == null) {
            System.out.println("# BLAKE3: skipped (hash4j 0.25.0 has no BLAKE3; the JDK has none either)");
        }

        for (int r = 0; r < rounds; r++) {
            for (Case c : cases) {
                for (int w = 0; w < (r == 0 ? warmup : 1); w++) {
                    pass(buf, c);
                }
                for (int p = 0; p < passes; p++) {
                    long ns = pass(buf, c);
                    c.mbps.add(buf.length / (ns / 1e9) / 1e6);
                }
            }
        }

        System.out.println();
        System.out.printf("%-31s %7s %13s%n", "hash", "chunk", "median");
        for (Case c : cases) {
            double[] v = c.mbps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            System.out.printf("RESULT %-24s %7s %7.0f MB/s (min %6.0f, max %6.0f, n=%d)  %.3f s/GiB/core%n",
                    c.name, size(c.chunk), med, v[0], v[v.length - 1], v.length, (1L << 30) / (med * 1e6));
        }
        System.out.printf("%n# sink %d%n", sink);
    }

    /** One pass over the whole buffer in chunks; returns the elapsed nanoseconds. */
    static long pass(byte[] buf, Case c) throws Exception {
        long acc = 0;
        int chunk = c.chunk;
        long t0 = System.nanoTime();
        for (int off = 0; off < buf.length; off += chunk) {
            acc += c.fn.hash(buf, off, Math.min(chunk, buf.length - off));
        }
        long t1 = System.nanoTime();
        sink += acc;
        return t1 - t0;
    }

    static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    static ChunkHash findBlake3() {
        for (String m : new String[] {"blake3", "blake3_256"}) {
            try {
                Object hasher = Hashing.class.getMethod(m).invoke(null);
                var bytes = hasher.getClass().getMethod("hashBytesToLong", byte[].class, int.class, int.class);
                bytes.setAccessible(true);
                return (b, off, len) -> (long) bytes.invoke(hasher, b, off, len);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not there
            }
        }
        return null;
    }
}
