package dev.ferry.testing;

import dev.ferry.config.HostPort;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP client process for tests of the network utilities, the counterpart of {@link TcpSink} in COUNT mode:
 *
 * <pre>
 * java -cp CP dev.ferry.testing.TcpSource --connect HOST:PORT --bytes N [--pause-after M]
 * </pre>
 *
 * Connects and prints {@code connected}; with {@code --pause-after M} writes M bytes, prints {@code wrote M},
 * waits for a line {@code go} on stdin and prints {@code sending the rest}; writes the rest and prints
 * {@code wrote N}; half-closes, reads the sink's 8-byte count and prints {@code acked COUNT}. Exit 0 if the count
 * is N, 1 if not or on an I/O error (reads time out after 120 s), 2 on bad arguments. Single-threaded: everything
 * runs on the main thread.
 */
public final class TcpSource {
    private TcpSource() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8)));
    }

    static int run(String[] args, PrintStream out) {
        InetSocketAddress target = null;
        long total = -1;
        long pauseAfter = -1;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--connect" -> {
                        HostPort hp = HostPort.parse(args[++i]);
                        target = new InetSocketAddress(hp.host(), hp.port());
                    }
                    case "--bytes" -> total = Long.parseLong(args[++i]);
                    case "--pause-after" -> pauseAfter = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (target == null || total < 0 || pauseAfter > total) {
                throw new IllegalArgumentException("need --connect HOST:PORT --bytes N [--pause-after M <= N]");
            }
        } catch (RuntimeException e) {
            out.println("usage: " + e.getMessage());
            return 2;
        }
        try (Socket s = new Socket()) {
            s.connect(target, 10_000);
            s.setSoTimeout(120_000);
            out.println("connected");
            OutputStream os = s.getOutputStream();
            long sent = 0;
            if (pauseAfter >= 0) {
                sent = write(os, sent, pauseAfter);
                out.println("wrote " + sent);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("go")) {
                    out.println("waiting for 'go', not '" + line + "'");
                }
                out.println("sending the rest");
            }
            sent = write(os, sent, total);
            out.println("wrote " + sent);
            s.shutdownOutput();
            long acked = new DataInputStream(s.getInputStream()).readLong();
            out.println("acked " + acked);
            return acked == total ? 0 : 1;
        } catch (IOException e) {
            out.println("failed " + e);
            return 1;
        }
    }

    /** Writes the pattern bytes from offset {@code from} up to {@code to}; returns {@code to}. */
    private static long write(OutputStream os, long from, long to) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long pos = from;
        while (pos < to) {
            int n = (int) Math.min(buf.length, to - pos);
            for (int i = 0; i < n; i++) {
                buf[i] = (byte) ((pos + i) * 31 + 7);
            }
            os.write(buf, 0, n);
            pos += n;
        }
        os.flush();
        return pos;
    }
}
