package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fuzz tests found, each replayed byte for byte after a valid handshake as the fuzzer sent it, with the
 * answer the receiver gives now. The case number and seed say where it came from ({@link ReceiverSessionFuzzTest}).
 */
class FuzzFindingsTest {
    @TempDir
    Path tmp;
    Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("f", Files.createDirectories(tmp.resolve("t")))));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private Frame replay(String hex) throws IOException {
        try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "f", TOKEN)) {
            c.socket().getOutputStream().write(HexFormat.of().parseHex(hex));
            return c.read();
        }
    }

    /** Session fuzz, seed 14, case 471: was ERROR INTERNAL (DateTimeException from Instant.ofEpochSecond). */
    @Test
    void directoryOfferWithAnMtimeBeyondWhatAnInstantHoldsIsAProtocolError() throws IOException {
        Frame answer = replay("000000451000000004010000076469722f7375620000000000000000040000006b15507c06f9b194000001ed"
                + "0001000001000000000000000000000000000000000000000000000000");

        assertThat(answer).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                "mtimeSeconds=288230377948270716 outside -31557014167219200..31556889864403199"));
        assertThat(Files.exists(tmp.resolve("t/dir/sub"))).isFalse();
    }
}
