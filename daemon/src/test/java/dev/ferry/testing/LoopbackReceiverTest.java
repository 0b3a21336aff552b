package dev.ferry.testing;

import dev.ferry.auth.Token;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the end-to-end tests that push into a receiver on 127.0.0.1: before each test, {@code source} and
 * {@code target} folders under the test's temp dir and a {@link Receiver} serving {@code target} as {@code folder};
 * after it, the receiver closed.
 */
public abstract class LoopbackReceiverTest {
    protected final Token token;
    protected final String folder;
    @TempDir
    protected Path tmp;
    protected Path source;
    protected Path target;
    protected Receiver receiver;

    protected LoopbackReceiverTest(Token token, String folder) {
        this.token = token;
        this.folder = folder;
    }

    /** The receiver's settings: {@code defaults}, or a test's {@code with...} of them. */
    protected ReceiverSettings receiverSettings(ReceiverSettings defaults) {
        return defaults;
    }

    @BeforeEach
    final void startReceiver() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        target = Files.createDirectories(tmp.resolve("target"));
        receiver = Receiver.start(receiverSettings(Loopback.receiverSettings(token, Map.of(folder, target))));
    }

    @AfterEach
    final void stopReceiver() {
        receiver.close();
    }
}
