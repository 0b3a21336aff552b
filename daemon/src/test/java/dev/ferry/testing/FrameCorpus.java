package dev.ferry.testing;

import dev.ferry.auth.Token;
import dev.ferry.config.SyncConfig;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.wire.Compression;
import dev.ferry.wire.WritePacer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames real pushes send, recorded byte for byte between a {@link Pusher} and a receiver by a small TCP relay:
 * the seed corpus of the fuzz tests. {@link #record} runs two pushes of a small tree (files of 0 to 4 chunks of
 * 64 KiB, a directory, a symlink, then a delete, a changed file and a text file, the second session with zstd
 * compression asked for), so the corpus holds HELLO, AUTH (with and without the features word), LIST, OFFER, HASHES,
 * CHUNK, CHUNK_ZSTD, COMMIT, DELETE, SYMLINK, PING/BYE as ferry writes them.
 *
 * @param handshake the frames before WELCOME (HELLO, AUTH) of the first session
 * @param session   every frame after the handshake, of both sessions, in the order sent
 */
public record FrameCorpus(List<byte[]> handshake, List<byte[]> session) {

    /** Every frame, handshake first. */
    public List<byte[]> all() {
        List<byte[]> all = new ArrayList<>(handshake);
        all.addAll(session);
        return all;
    }

    /** Pushes a tree built under {@code work} to the receiver on 127.0.0.1:{@code port}, folder {@code folder}. */
    public static FrameCorpus record(Path work, int port, String folder, Token token) throws IOException {
        Path src = Files.createDirectories(work.resolve("corpus-src"));
        Files.createDirectories(src.resolve("dir/sub"));
        Trees.randomFile(src.resolve("empty.bin"), 0, 1);
        Trees.randomFile(src.resolve("small.txt"), 100, 2);
        Trees.randomFile(src.resolve("dir/two-chunks.bin"), 100_000, 3);
        Trees.randomFile(src.resolve("dir/sub/four-chunks.bin"), 250_000, 4);
        Files.createSymbolicLink(src.resolve("link"), Path.of("small.txt"));
        List<byte[]> handshake = new ArrayList<>();
        List<byte[]> session = new ArrayList<>();
        pushRecorded(src, port, folder, token, handshake, session, LinkShaping.NONE);
        Files.delete(src.resolve("small.txt"));
        Trees.randomFile(src.resolve("dir/two-chunks.bin"), 120_000, 5);
        Files.writeString(src.resolve("dir/text.txt"), "ferry keeps folders in sync\n".repeat(6_000)); // compresses
        // the second session asks for zstd: its changed text file goes as CHUNK_ZSTD frames
        pushRecorded(src, port, folder, token, new ArrayList<>(), session,
                new LinkShaping(Compression.zstd(Compression.DEFAULT_ZSTD_LEVEL), 0, WritePacer.NONE));
        return new FrameCorpus(List.copyOf(handshake), List.copyOf(session));
    }

    private static void pushRecorded(Path src, int port, String folder, Token token, List<byte[]> handshake,
                                     List<byte[]> session, LinkShaping shaping) throws IOException {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        try (ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> relayOne(relay, port, sent));
            PushSettings settings = PushSettings.of(InetAddress.getLoopbackAddress().getHostAddress(), relay.getLocalPort(),
                    folder, token, SyncConfig.MIN_CHUNK_SIZE, Duration.ofSeconds(20), SyncConfig.DEFAULT_CHUNK_ATTEMPTS,
                    SyncConfig.DEFAULT_KEEP_ALIVE).withShaping(shaping);
            if (!Pusher.push(src, true, "", settings).ok()) {
                throw new AssertionError("the corpus push failed");
            }
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes;
        synchronized (sent) {
            bytes = sent.toByteArray();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.remaining() >= 5) {
            int length = b.getInt(b.position());
            byte[] frame = new byte[4 + length];
            b.get(frame);
            (handshake.size() < 2 && session.isEmpty() ? handshake : session).add(frame);
        }
    }

    /** Relays one connection both ways, keeping a copy of what the client sent. */
    private static void relayOne(ServerSocket relay, int port, ByteArrayOutputStream sent) {
        try (Socket client = relay.accept(); Socket server = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Thread back = Thread.ofVirtual().start(() -> pump(server, client, null));
            pump(client, server, sent);
            back.join(Duration.ofSeconds(10));
        } catch (IOException | InterruptedException e) {
            // the push says whether it worked
        }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
        byte[] buf = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) {
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buf, 0, n);
                    }
                }
                out.write(buf, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed: the other follows
        }
    }
}
