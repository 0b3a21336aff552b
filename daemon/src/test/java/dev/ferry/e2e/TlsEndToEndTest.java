package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.auth.Identity;
import dev.ferry.auth.KeyGen;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes on 127.0.0.1 with identities: {@code ferry receive --identity --allow} takes a one-shot
 * {@code ferry push --identity} to {@code ferry://ID@HOST:PORT/FOLDER} and a {@code ferry daemon} whose YAML pins
 * it; a push pinning another ID leaves nothing behind; the receiver's log shows the TLS and no secret.
 */
class TlsEndToEndTest {
    static final Duration START = Duration.ofSeconds(30);
    static final Duration DONE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    Path source;
    Path photos;
    Path music;
    Identity receiverId;
    Identity senderId;
    Identity otherId;
    final List<FerryProcess> processes = new ArrayList<>();
    FerryProcess receiver;
    int port;

    @BeforeEach
    void start() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        photos = Files.createDirectories(tmp.resolve("photos"));
        music = Files.createDirectories(tmp.resolve("music"));
        Trees.randomFile(source.resolve("big.bin"), 5 * 1024 * 1024 + 17, 1);
        Trees.randomFile(source.resolve("d/small.txt"), 300, 2);
        Instant now = Instant.now();
        receiverId = KeyGen.generate(tmp.resolve("id-receiver"), now);
        senderId = KeyGen.generate(tmp.resolve("id-sender"), now);
        otherId = KeyGen.generate(tmp.resolve("id-other"), now);
        receiver = started(FerryProcess.ferry("receive", "--listen", "127.0.0.1:0",
                "--identity", tmp.resolve("id-receiver").toString(),
                "--folder", "photos=" + photos, "--folder", "music=" + music,
                "--allow", "photos=" + senderId.id(), "--allow", "music=" + otherId.id()));
        port = receiver.awaitReceiverPort(START);
    }

    @AfterEach
    void stop() throws IOException {
        for (FerryProcess p : processes) {
            p.close();
        }
    }

    FerryProcess started(FerryProcess.Builder b) throws IOException {
        FerryProcess p = b.logDir(tmp.resolve("logs")).start();
        processes.add(p);
        return p;
    }

    String target(Identity pinned, String folder) {
        return "ferry://" + pinned.id() + "@127.0.0.1:" + port + "/" + folder;
    }

    @Test
    void aOneShotPushWithAnIdentityArrivesOverTls() throws Exception {
        FerryProcess push = started(FerryProcess.ferry("push", source + "/", target(receiverId, "photos"),
                "--identity", tmp.resolve("id-sender").toString()));

        assertThat(push.awaitExit(DONE)).as(String.join("\n", push.logLines())).isZero();
        Trees.assertIdentical(source, photos);
        assertThat(receiver.logLines()).anySatisfy(l -> assertThat(l)
                .contains("transport=tls id=" + receiverId.id()));
        assertThat(push.logLines()).noneMatch(l -> l.contains("not encrypted"));
    }

    @Test
    void aPushPinningAnotherIdFailsBeforeAnyDataAndOneOnAnotherFolderIsRefused() throws Exception {
        FerryProcess wrongPin = started(FerryProcess.ferry("push", source + "/", target(otherId, "photos"),
                "--identity", tmp.resolve("id-sender").toString()));
        assertThat(wrongPin.awaitExit(DONE)).isEqualTo(1);
        assertThat(String.join("\n", wrongPin.logLines())).contains("receiver presented ID " + receiverId.id()
                + ", expected " + otherId.id());

        FerryProcess wrongFolder = started(FerryProcess.ferry("push", source + "/", target(receiverId, "music"),
                "--identity", tmp.resolve("id-sender").toString()));
        assertThat(wrongFolder.awaitExit(DONE)).isEqualTo(1);
        assertThat(String.join("\n", wrongFolder.logLines())).contains("receiver refused: peer ID " + senderId.id()
                + " is not allowed on folder 'music' (AUTH_FAILED)");
        receiver.awaitLog(Pattern.compile(Pattern.quote("failed authentication for folder 'music' (ID " + senderId.id()
                + " is not allowed)")), START);
        assertThat(Trees.list(photos)).isEmpty();
        assertThat(Trees.list(music)).isEmpty();
    }

    /** A daemon with this host's identity syncing {@code source} to folder photos of the receiver, pinned as {@code id}. */
    private FerryProcess daemonPinning(Identity id) throws IOException {
        Path config = Files.writeString(tmp.resolve("ferry.yaml"), """
                identity: %s
                state-dir: %s
                sync:
                  - source: %s
                    targets: [ "%s" ]
                """.formatted(tmp.resolve("id-sender"), tmp.resolve("state"), source, target(id, "photos")));
        return started(FerryProcess.ferry("daemon", "--config", config.toString()));
    }

    @Test
    void aDaemonWithAnIdentityPinsItsTargetAndSyncsOverTls() throws Exception {
        FerryProcess daemon = daemonPinning(receiverId);

        daemon.awaitLog(Pattern.compile("sync ready pair=\\S+ target=\\S+"), DONE);
        Trees.assertIdentical(source, photos);
        assertThat(daemon.logLines()).noneMatch(l -> l.contains("not encrypted"));
    }

    @Test
    void aDaemonPinningAnotherIdReportsAuthenticationFailedOnceAndSendsNothing() throws Exception {
        FerryProcess daemon = daemonPinning(otherId);

        daemon.awaitLog(Pattern.compile(Pattern.quote("authentication failed: receiver presented ID " + receiverId.id()
                + ", expected " + otherId.id() + " (at 127.0.0.1:" + port + ")") + ".*check the receiver's ID in the"
                + " target"), DONE);
        assertThat(Trees.list(photos)).isEmpty();
        assertThat(daemon.logLines()).filteredOn(l -> l.contains("authentication failed")).hasSize(1);
    }
}
