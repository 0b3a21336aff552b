package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Token;
import dev.ferry.testing.Loopback;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver that asks for more than a file has: the sender stops with a clear reason instead of queueing what it
 * asks (the sender's side of "bounded everything a peer can ask for").
 */
class HostileReceiverTest {
    static final Token TOKEN = Token.of("hostile-receiver-token-0123456789");
    static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;

    /** What the fake receiver answers to a LIST and to an OFFER. */
    private interface Answers {
        void list(FrameChannel ch, Frame.ListRequest l) throws IOException;

        void offer(FrameChannel ch, Frame.Offer o) throws IOException;
    }

    /** A fake receiver on {@code server}: the handshake, then {@code answers}; ends when the sender hangs up. */
    private static Thread fakeReceiver(ServerSocket server, Answers answers) {
        return Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept(); FrameChannel ch = new FrameChannel(s, WireLimits.defaults())) {
                ch.readTimeout(Duration.ofSeconds(10));
                while (true) {
                    switch (ch.read()) {
                        case HandshakeFrame.Hello h -> ch.send(new HandshakeFrame.Challenge(1, new byte[32]));
                        case HandshakeFrame.Auth a -> ch.send(new HandshakeFrame.Welcome(WireLimits.DEFAULT_MAX_CHUNK, 1L << 40));
                        case Frame.ListRequest l -> answers.list(ch, l);
                        case Frame.Offer o -> answers.offer(ch, o);
                        default -> {
                        }
                    }
                }
            } catch (IOException ignored) {
                // the sender hangs up: expected
            }
        });
    }

    private static PushSettings settings(ServerSocket server) {
        return PushSettings.of(InetAddress.getLoopbackAddress().getHostAddress(), server.getLocalPort(), "f", TOKEN, CHUNK,
                Duration.ofSeconds(10), 5, Duration.ofSeconds(5));
    }

    /** A fake receiver: the handshake, an empty listing, then {@code need} for the first OFFER. */
    private PushException pushAgainst(List<Frame.Range> need) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("three-chunks.bin"), new byte[3 * CHUNK]);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = fakeReceiver(server, new Answers() {
                @Override
                public void list(FrameChannel ch, Frame.ListRequest l) throws IOException {
                    ch.send(new Frame.Listing(l.requestId(), List.of(), false));
                }

                @Override
                public void offer(FrameChannel ch, Frame.Offer o) throws IOException {
                    ch.send(new Frame.Need(o.fileId(), need, false, false));
                }
            });
            Throwable thrown = Assertions.catchThrowable(() -> Pusher.push(src, true, "", settings(server)));
            fake.join(Duration.ofSeconds(10));
            assertThat(thrown).isInstanceOf(PushException.class);
            return (PushException) thrown;
        }
    }

    @Test
    void aNeedPastTheLastChunkStopsThePush() throws Exception {
        PushException e = pushAgainst(List.of(new Frame.Range(2, 2)));

        assertThat(e).hasMessageContaining("receiver asked for chunks 2..3 of file id 1, which has 3 (2 asked in all)");
    }

    @Test
    void aNeedAskingForAChunkTwiceStopsThePush() throws Exception {
        PushException e = pushAgainst(List.of(new Frame.Range(0, 3), new Frame.Range(1, 1)));

        assertThat(e).hasMessageContaining("receiver asked for chunks 1..1 of file id 1, which has 3 (4 asked in all)");
    }

    @Test
    void aListingWithoutEndStopsTheSenderAtItsBound() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = fakeReceiver(server, new Answers() {
                @Override
                public void list(FrameChannel ch, Frame.ListRequest l) throws IOException {
                    List<Frame.ListedEntry> page = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        page.add(new Frame.ListedEntry(EntryKind.FILE, "f" + i, 1, 0, 0, 0644, ""));
                    }
                    for (int n = 0; n < 100; n++) { // "more" every time: a listing that never ends
                        ch.send(new Frame.Listing(l.requestId(), page, true));
                    }
                }

                @Override
                public void offer(FrameChannel ch, Frame.Offer o) {
                }
            });

            Throwable thrown = Assertions.catchThrowable(() -> PushLink.list(settings(server), "sub\ndir", 5000));

            fake.join(Duration.ofSeconds(10));
            assertThat(thrown).isInstanceOf(PushException.class).hasMessage("receiver at 127.0.0.1:" + server.getLocalPort()
                    + " listed more than 5000 entries under 'sub\\ndir', the most a sender takes");
        }
    }
}
