// bench/AesGcmSpeed.java - what AES-128-GCM alone costs in a fresh JVM here, the way TLS 1.3 uses it: 1 GiB
// encrypted in 16 KiB records, the cipher initialised for each record with a new nonce (as SSLSocket does). The
// floor of the floor: a TLS push cannot encrypt faster than this on its one sending thread, nor the receiver
// decrypt faster (a similar cost) on its one. Optionally first WARM_N small records of WARM_LEN bytes, to see
// whether warming the JIT up before the data flows would help.
//
//   java bench/AesGcmSpeed.java [WARM_N WARM_LEN]
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public final class AesGcmSpeed {
    public static void main(String[] args) throws Exception {
        int warmN = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int warmLen = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        long t0 = System.nanoTime();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] iv = new byte[12];
        byte[] small = new byte[warmLen];
        byte[] smallOut = new byte[warmLen + 16];
        for (int i = 0; i < warmN; i++) {
            nonce(iv, i, 0);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.doFinal(small, 0, warmLen, smallOut, 0);
        }
        long t1 = System.nanoTime();
        byte[] record = new byte[16384];
        byte[] out = new byte[16384 + 16];
        for (int i = 0; i < 65536; i++) {
            nonce(iv, i, 1);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            cipher.doFinal(record, 0, record.length, out, 0);
        }
        long t2 = System.nanoTime();
        System.out.printf("warm-up %d x %d B: %.3f s; then 1 GiB in 16 KiB records: %.3f s (%.0f MB/s)%n", warmN, warmLen,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (1L << 30) / ((t2 - t1) / 1e9) / 1e6);
    }

    private static void nonce(byte[] iv, int i, int round) {
        iv[0] = (byte) i;
        iv[1] = (byte) (i >> 8);
        iv[2] = (byte) (i >> 16);
        iv[3] = (byte) round;
    }
}
