package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 connections that never authenticate — half of them silent, half sending the first 3 bytes of a frame
 * header and then nothing — from 250 loopback addresses (8 each, the most one address may hold in the handshake),
 * re-opened as soon as the receiver closes them, do not stop an authenticated push started in the middle of the
 * flood: it completes within a bounded time with byte-identical trees. (The test JVM holds both ends of every
 * connection: about 4,000 descriptors, well under this machine's limit of 20,000.)
 */
class HandshakeFloodTest {
    static final Token TOKEN = Token.of("flood-test-token-0123456789abcdef");
    static final int ADDRESSES = 250;
    static final int PER_ADDRESS = PeerLimits.DEFAULT_HANDSHAKES_PER_ADDRESS;

    @TempDir
    Path tmp;

    @Test
    void anAuthenticatedPushCompletesDuringAFloodOf2000IdleAndHalfOpenConnections() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        for (int i = 0; i < 20; i++) {
            Trees.randomFile(src.resolve("d" + (i % 4) + "/f" + i + ".bin"), 50_000 + i * 20_000, i);
        }
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong opened = new AtomicLong();
        AtomicLong closedByReceiver = new AtomicLong();
        try (Receiver receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", target)))) {
            int port = receiver.address().getPort();
            List<Thread> flood = new ArrayList<>();
            for (int a = 0; a < ADDRESSES; a++) {
                InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + a / 200), (byte) (2 + a % 200)});
                for (int k = 0; k < PER_ADDRESS; k++) {
                    boolean halfOpen = k % 2 == 1;
                    flood.add(Thread.ofVirtual().name("flood-" + a + "-" + k).start(() ->
                            floodOne(port, from, halfOpen, flooding, opened, closedByReceiver)));
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> opened.get() >= ADDRESSES * PER_ADDRESS);
            assertThat(receiver.handshakesInProgress()).as("the handshake pool is full").isEqualTo(PeerLimits.DEFAULT_HANDSHAKES);

            long start = System.nanoTime();
            PushResult result = CompletableFuture.supplyAsync(() -> {
                try {
                    return Pusher.push(src, true, "", Loopback.pushSettings(port, "f", TOKEN));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(result.ok()).as("push during the flood: %s", result).isTrue();
            Trees.assertIdentical(src, target);
            assertThat(opened.get()).as("flood connections opened").isGreaterThanOrEqualTo(2000);
            System.out.printf("push of 20 files during the flood took %d ms; flood connections opened %d, closed by the"
                    + " receiver %d, evicted %d%n", tookMs, opened.get(), closedByReceiver.get(), receiver.evictedHandshakes());
            flooding.set(false);
            for (Thread t : flood) {
                t.interrupt();
            }
            for (Thread t : flood) {
                t.join(Duration.ofSeconds(10));
            }
        } finally {
            flooding.set(false);
        }
    }

    /** One flood connection, opened again whenever the receiver closes it, until the flood stops. */
    private static void floodOne(int port, InetAddress from, boolean halfOpen, AtomicBoolean flooding, AtomicLong opened,
                                 AtomicLong closedByReceiver) {
        while (flooding.get()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port, from, 0)) {
                opened.incrementAndGet();
                if (halfOpen) {
                    s.getOutputStream().write(new byte[] {0, 0, 0}); // 3 of a header's 5 bytes, then nothing
                }
                InputStream in = s.getInputStream();
                while (flooding.get() && in.read() >= 0) {
                    // (an ERROR frame when refused; then the end of the stream)
                }
                closedByReceiver.incrementAndGet();
                Thread.sleep(20); // (a determined flood, not a busy loop starving the 2-core test machine)
            } catch (IOException e) {
                // refused, reset or closed: open it again
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
