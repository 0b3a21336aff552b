package dev.ferry.cli;

import dev.ferry.auth.Token;
import dev.ferry.receive.Receiver;
import dev.ferry.testing.CapturedStdio;
import dev.ferry.testing.LoopbackReceiverTest;
import dev.ferry.testing.Secrets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run {@code ferry push} in-process ({@link Main#run}) against a real receiver on 127.0.0.1
 * serving {@code target} as folder {@code f}: a token file holding the receiver's token, and stdout and stderr
 * captured around each test.
 */
abstract class InProcessPushTest extends LoopbackReceiverTest {
    private final String secret;
    protected CapturedStdio stdio;
    protected Path tokenFile;

    InProcessPushTest(String secret) {
        super(Token.of(secret), "f");
        this.secret = secret;
    }

    @BeforeEach
    final void capture() throws IOException {
        tokenFile = tmp.resolve("token");
        Secrets.write(tokenFile, secret + "\n");
        stdio = CapturedStdio.start();
    }

    @AfterEach
    final void restore() {
        stdio.close();
    }

    /** The receiver's URI, {@code ferry://127.0.0.1:PORT/f}. */
    protected String uri() {
        return "ferry://127.0.0.1:" + receiver.address().getPort() + "/f";
    }

    /** {@code ferry push SRC URI-of-r/f+subdir --token-file ... --no-digest-cache OPTIONS}; returns the exit code. */
    protected int push(Receiver r, String src, String subdir, String... options) {
        List<String> args = new ArrayList<>(List.of("push", src, "ferry://127.0.0.1:" + r.address().getPort() + "/f" + subdir,
                "--token-file", tokenFile.toString(), "--no-digest-cache"));
        args.addAll(List.of(options));
        return Main.run(args.toArray(String[]::new));
    }

    /** The same of {@code source/} into this test's receiver. */
    protected int push(String... options) {
        return push(receiver, source + "/", "", options);
    }

    /** The summary line of the last push, its timing cut off at ':'. */
    protected String summary() {
        List<String> lines = stdio.out().lines().filter(l -> l.startsWith("ferry: pushed ")).toList();
        String last = lines.getLast();
        return last.substring(0, last.indexOf(':', "ferry:".length()));
    }
}
