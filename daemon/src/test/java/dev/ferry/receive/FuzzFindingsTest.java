package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.testing.Loopback;
import dev.ferry.testing.RawClient;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.PeerClosedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

    /** Every answer to {@code hex} (sent after a valid handshake, then half-closed), until the receiver closes. */
    private List<Frame> replay(String hex) throws IOException {
        List<Frame> answers = new ArrayList<>();
        try (RawClient c = RawClient.authenticated(receiver.address().getPort(), "f", TOKEN)) {
            c.socket().getOutputStream().write(HexFormat.of().parseHex(hex));
            c.socket().shutdownOutput();
            while (true) {
                answers.add(c.read());
            }
        } catch (PeerClosedException e) {
            return answers;
        }
    }

    /** Session fuzz, seed 14, case 471: was ERROR INTERNAL (DateTimeException from Instant.ofEpochSecond). */
    @Test
    void directoryOfferWithAnMtimeBeyondWhatAnInstantHoldsIsAProtocolError() throws IOException {
        List<Frame> answers = replay("000000451000000004010000076469722f7375620000000000000000040000006b15507c06f9b194000001ed"
                + "0001000001000000000000000000000000000000000000000000000000");

        assertThat(answers).containsExactly(new Frame.Error(ErrorCode.PROTOCOL, 0,
                "mtimeSeconds=288230377948270716 outside -31557014167219200..31556889864403199"));
        assertThat(Files.exists(tmp.resolve("t/dir/sub"))).isFalse();
    }

    /**
     * Session fuzz, seed 14, case 1405 (after the mutator learned to send one file's frames together): an empty
     * file's OFFER then COMMIT twice; the second COMMIT joined the group commit again, whose second answer found the
     * file gone (INTERNAL: NullPointerException).
     */
    @Test
    void aSecondCommitOfAFileWaitingInTheGroupCommitIsAProtocolError() throws IOException {
        List<Frame> answers = replay("00000047100000000400000009656d7074792e62696e0000000000000000000000006b1552a32f44cc9d"
                + "000001a40001000001000000003644c6ae4cc0e5944044bb79d1dd7206000000000000000616000000040000000006160000000400");

        assertThat(answers).containsExactly(new Frame.Need(4, List.of(), false, false),
                new Frame.Error(ErrorCode.PROTOCOL, 0, "COMMIT repeated for fileId=4"));
        assertThat(Files.exists(tmp.resolve("t/empty.bin"))).as("its commit never ran").isFalse();
    }

    /**
     * Session fuzz, seed 14, case 923 (once the corpus push sent its symlink, which ferry push used to skip): a
     * SYMLINK whose target holds NUL was ERROR INTERNAL (InvalidPathException from making a Path of it).
     */
    @Test
    void aSymlinkTargetHoldingNulIsARefusedPath() throws IOException {
        List<Frame> answers = replay("00000022240000000100046c696e6b0009736d616c6c2e740000000616000000020000" + "0000d0a1");

        assertThat(answers).containsExactly(new Frame.Error(ErrorCode.BAD_PATH, 1,
                "refused path: symlink 'link' -> 'small.t\\x00\\x00' points outside the folder"));
        assertThat(Files.exists(tmp.resolve("t/link"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
