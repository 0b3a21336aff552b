// bench/TlsFloor.java - the floor of bench/tls_bench.sh: what moving the same bytes costs through a bare socket and
// through a bare TLS 1.3 socket (ferry's own Tls contexts: AES-GCM, pinned identities), in one JVM over 127.0.0.1,
// with no ferry protocol, no files, no hashing. The sender writes SIZE_MIB MiB from memory in 1 MiB writes; the
// receiver reads them into a 1 MiB buffer and drops them, then answers one byte. Rounds alternate plain and TLS.
//
//   java -cp DIR:ferry.jar TlsFloor SIZE_MIB ROUNDS RECEIVER_IDENTITY_DIR SENDER_IDENTITY_DIR
import dev.ferry.auth.Identity;
import dev.ferry.auth.Tls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;

public final class TlsFloor {
    public static void main(String[] args) throws Exception {
        long bytes = Long.parseLong(args[0]) << 20;
        int rounds = Integer.parseInt(args[1]);
        Identity receiver = Identity.load(Path.of(args[2]));
        Identity sender = Identity.load(Path.of(args[3]));
        SSLContext server = Tls.serverContext(receiver);
        SSLContext client = Tls.clientContext(sender, receiver.id());
        List<Double> plain = new ArrayList<>();
        List<Double> tls = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) { // round 0 warms up
            double p = copy(bytes, null, null);
            double t = copy(bytes, server, client);
            if (r > 0) {
                plain.add(p);
                tls.add(t);
                System.out.printf("floor round %d/%d  plain %.3f s  tls %.3f s%n", r, rounds, p, t);
            }
        }
        double mp = median(plain);
        double mt = median(tls);
        System.out.printf("floor-plain median %.3f s (%.0f MB/s)  floor-tls median %.3f s (%.0f MB/s)%n", mp, bytes / mp / 1e6,
                mt, bytes / mt / 1e6);
        System.out.printf("RESULT floor ratio tls/plain (bare sockets, medians) = %.2f%n", mt / mp);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Seconds from connect to the receiver's answer; TLS when the contexts are given. */
    static double copy(long bytes, SSLContext server, SSLContext client) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread receiving = Thread.ofPlatform().start(() -> {
                try (Socket raw = listener.accept();
                     Socket s = server == null ? raw : Tls.accept(server, raw)) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[1 << 20];
                    long left = bytes;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new IllegalStateException("early end of stream");
                        }
                        left -= n;
                    }
                    s.getOutputStream().write(0);
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 Socket s = client == null ? raw : Tls.connect(client, raw, "127.0.0.1")) {
                OutputStream out = s.getOutputStream();
                byte[] block = new byte[1 << 20];
                new java.util.Random(1).nextBytes(block);
                for (long sent = 0; sent < bytes; sent += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, bytes - sent));
                }
                out.flush();
                if (s.getInputStream().read() != 0) {
                    throw new IllegalStateException("no answer");
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            receiving.join();
            return secs;
        }
    }
}
