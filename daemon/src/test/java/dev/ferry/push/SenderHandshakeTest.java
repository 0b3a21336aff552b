package dev.ferry.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a scripted fake receiver: it must refuse what it does not understand, with a clear reason. */
class SenderHandshakeTest {
    static final Token TOKEN = Token.of("handshake-test-token-012345");

    @TempDir
    Path tmp;

    /** Runs a fake receiver that reads HELLO and answers with whatever {@code answer} returns. */
    PushException pushAgainst(Function<HandshakeFrame.Hello, Frame> answer, AtomicReference<HandshakeFrame.Hello> seen) throws Exception {
        Files.writeString(tmp.resolve("f.txt"), "x");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread fake = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); FrameChannel ch = new FrameChannel(s, WireLimits.defaults())) {
                    ch.readTimeout(Duration.ofSeconds(10));
                    HandshakeFrame.Hello hello = (HandshakeFrame.Hello) ch.read();
                    seen.set(hello);
                    ch.send(answer.apply(hello));
                    ch.read(); // wait for the sender to hang up
                } catch (IOException ignored) {
                    // the sender closes: expected
                }
            });
            PushSettings settings = Loopback.pushSettings(server.getLocalPort(), "f", TOKEN);
            PushException e = (PushException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> Pusher.push(tmp.resolve("f.txt"), false, "", settings));
            fake.join(Duration.ofSeconds(10));
            return e;
        }
    }

    @Test
    void refusesAReceiverThatChoosesAnUnknownVersion() throws Exception {
        AtomicReference<HandshakeFrame.Hello> seen = new AtomicReference<>();
        PushException e = pushAgainst(h -> new HandshakeFrame.Challenge(3, new byte[32]), seen);

        assertThat(e).hasMessage("receiver chose protocol version 3, this sender speaks 1..2");
        assertThat(seen.get().minVersion()).isEqualTo(1);
        assertThat(seen.get().maxVersion()).isEqualTo(2);
        assertThat(seen.get().folder()).isEqualTo("f");
    }

    @Test
    void reportsTheReceiversVersionErrorVerbatim() throws Exception {
        PushException e = pushAgainst(h -> new Frame.Error(ErrorCode.UNSUPPORTED_VERSION, 0,
                "client speaks protocol versions 1..1, this receiver speaks 2..2"), new AtomicReference<>());

        assertThat(e).hasMessage("receiver refused: client speaks protocol versions 1..1, this receiver speaks 2..2 (UNSUPPORTED_VERSION)");
    }

    @Test
    void nonexistentSourceFailsBeforeConnecting() {
        assertThatThrownBy(() -> Pusher.push(tmp.resolve("missing"), false, "", Loopback.pushSettings(1, "f", TOKEN)))
                .isInstanceOf(PushException.class)
                .hasMessage("source " + tmp.resolve("missing") + " does not exist");
    }
}
