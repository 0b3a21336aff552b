package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.ChunkBufferPool;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A peer sending small frames faster than the session takes them: the inbox stops reading, nothing is lost. */
class SessionInboxTest {
    @Test
    void theReaderStopsAtMaxQueuedFramesAndTcpHoldsTheRest() throws Exception {
        int sent = 20 * SessionInbox.MAX_QUEUED;
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.getLocalAddress()).getPort());
             Socket accepted = server.accept().socket();
             FrameChannel peer = new FrameChannel(client, WireLimits.defaults());
             FrameChannel ours = new FrameChannel(accepted, WireLimits.defaults())) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < sent; i++) {
                        peer.write(new Frame.Ping(i));
                    }
                    peer.flush();
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            SessionInbox inbox = new SessionInbox(ours, new ChunkBufferPool(2, WireLimits.MIN_CHUNK));
            inbox.start("test-inbox");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inbox.queued() == SessionInbox.MAX_QUEUED + 1);
            Thread.sleep(200);
            assertThat(inbox.queued()).as("frames read ahead of the session").isEqualTo(SessionInbox.MAX_QUEUED + 1);
            for (int i = 0; i < sent; i++) {
                assertThat(inbox.take()).isEqualTo(new Frame.Ping(i));
            }
            writer.join(Duration.ofSeconds(10));
            inbox.stop();
        }
    }
}
