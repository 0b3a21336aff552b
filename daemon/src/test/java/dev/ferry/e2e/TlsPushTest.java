package dev.ferry.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.ferry.auth.FolderAccess;
import dev.ferry.auth.Identity;
import dev.ferry.auth.KeyGen;
import dev.ferry.auth.Proof;
import dev.ferry.auth.SenderPin;
import dev.ferry.auth.Tls;
import dev.ferry.auth.Token;
import dev.ferry.push.PushException;
import dev.ferry.push.LinkShaping;
import dev.ferry.push.PushResult;
import dev.ferry.push.PushSettings;
import dev.ferry.push.Pusher;
import dev.ferry.receive.Receiver;
import dev.ferry.receive.ReceiverSettings;
import dev.ferry.testing.CapturedLog;
import dev.ferry.testing.Loopback;
import dev.ferry.testing.Trees;
import dev.ferry.time.FerryClock;
import dev.ferry.wire.Compression;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes over TLS 1.3 with pinned identities into a real receiver on 127.0.0.1: a receiver R serving photos (allowing
 * sender S) and music (allowing sender X), and every way the two ends can disagree, each with its exact message on
 * both sides and within a bound.
 */
class TlsPushTest {
    static final Token TOKEN = Token.of("tls-push-test-token-0123456789");
    /** A mismatch must be told at once, not after a timeout. */
    static final long FAST_MS = 2000;

    @TempDir
    static Path keys;
    static Identity receiverId;
    static Identity impostorId;
    static Identity senderS;
    static Identity senderX;

    @TempDir
    Path tmp;
    Path source;
    Path photos;
    Path music;
    Receiver receiver;

    @BeforeAll
    static void identities() throws IOException {
        Instant now = Instant.now();
        receiverId = KeyGen.generate(keys.resolve("r"), now);
        impostorId = KeyGen.generate(keys.resolve("impostor"), now);
        senderS = KeyGen.generate(keys.resolve("s"), now);
        senderX = KeyGen.generate(keys.resolve("x"), now);
    }

    @BeforeEach
    void start() throws IOException {
        source = Files.createDirectories(tmp.resolve("source"));
        photos = Files.createDirectories(tmp.resolve("photos"));
        music = Files.createDirectories(tmp.resolve("music"));
        Trees.randomFile(source.resolve("a/one.bin"), 3 * 1024 * 1024 + 5, 1);
        Trees.randomFile(source.resolve("two.txt"), 100, 2);
        receiver = Receiver.start(tlsReceiver(null));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /** R with an identity: photos allows S, music allows X; {@code token} (may be null) opens every folder too. */
    ReceiverSettings tlsReceiver(Token token) {
        return Loopback.receiverSettings(token == null ? TOKEN : token, Map.of("photos", photos, "music", music))
                .withIdentity(receiverId, Map.of(
                        "photos", new FolderAccess(Set.of(senderS.id()), Optional.empty()),
                        "music", new FolderAccess(Set.of(senderX.id()), Optional.empty())));
    }

    PushSettings pinned(String folder, Identity me, Identity expected) {
        return Loopback.pushSettings(receiver.address().getPort(), folder, null, new SenderPin(me, expected.id()));
    }

    PushResult push(PushSettings settings) throws PushException {
        return Pusher.push(source, true, "", settings);
    }

    @Test
    void aPinnedSenderPushesOverTlsAndTheTreeArrivesIdentical() throws IOException {
        PushResult r = push(pinned("photos", senderS, receiverId));

        assertThat(r.failures()).isEmpty();
        assertThat(r.filesSent()).isEqualTo(2);
        Trees.assertIdentical(source, photos);
        assertThat(receiver.stats().snapshot().chunksReceived()).isEqualTo(4 + 1);
    }

    @Test
    void compressedChunksTravelInsideTlsAndRandomOnesStayRaw() throws IOException {
        Files.writeString(source.resolve("log.txt"), "tls and zstd together\n".repeat(50_000)); // 1,100,000 bytes
        long random = 3 * 1024 * 1024 + 5 + 100;

        PushResult r = push(pinned("photos", senderS, receiverId)
                .withShaping(LinkShaping.of(Compression.zstd(3), 0, FerryClock.system())));

        assertThat(r.failures()).isEmpty();
        Trees.assertIdentical(source, photos);
        assertThat(r.bytesSent()).isEqualTo(random + 1_100_000);
        assertThat(r.wireBytes()).isGreaterThan(random).isLessThan(random + 10_000);
    }

    @Test
    void aSenderRefusesAReceiverPresentingAnotherIdBeforeAnyFileDataLeaves() throws IOException {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> push(pinned("photos", senderS, impostorId)))
                .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.credentialsRefused()).isTrue())
                .hasMessageStartingWith("receiver presented ID " + receiverId.id() + ", expected " + impostorId.id()
                        + " (at 127.0.0.1:" + receiver.address().getPort() + ")");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(FAST_MS);

        assertThat(Trees.list(photos)).as("nothing arrived").isEmpty();
        assertThat(receiver.stats().snapshot().chunksReceived()).isZero();
        assertThat(receiver.stats().snapshot().connectionsAccepted()).isZero();
    }

    @Test
    void aReceiverRefusesASenderWhoseIdNoFolderAllowsWithTheSameMessageOnBothSides() throws IOException {
        Identity stranger = KeyGen.generate(tmp.resolve("stranger"), Instant.now());
        String message = "peer ID " + stranger.id() + " is not allowed on folder 'photos'";
        try (CapturedLog log = CapturedLog.from(authFailuresClass(), Level.DEBUG)) {
            assertThatThrownBy(() -> push(pinned("photos", stranger, receiverId)))
                    .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.credentialsRefused()).isTrue())
                    .hasMessage("receiver refused: " + message + " (AUTH_FAILED)");
            assertThat(log.at(Level.WARN)).containsExactly("peer 127.0.0.1 failed authentication for folder 'photos' (ID "
                    + stranger.id() + " is not allowed); further failures from it are counted, not logged, until it"
                    + " succeeds");
        }
        assertThat(Trees.list(photos)).isEmpty();
    }

    @Test
    void aPeerAllowedOnOneFolderIsRefusedOnAnother() throws IOException {
        assertThatThrownBy(() -> push(pinned("music", senderS, receiverId)))
                .hasMessage("receiver refused: peer ID " + senderS.id() + " is not allowed on folder 'music' (AUTH_FAILED)");
        assertThat(Trees.list(music)).isEmpty();

        assertThat(push(pinned("photos", senderS, receiverId)).failures()).isEmpty();
        Trees.assertIdentical(source, photos);
    }

    @Test
    void aPeerAllowedSomewhereIsToldOfAnUnknownFolderAndAStrangerIsNot() throws IOException {
        assertThatThrownBy(() -> push(pinned("nope", senderS, receiverId)))
                .hasMessage("receiver refused: no folder named 'nope' on this receiver (UNKNOWN_FOLDER)");
        Identity stranger = KeyGen.generate(tmp.resolve("stranger"), Instant.now());
        assertThatThrownBy(() -> push(pinned("nope", stranger, receiverId)))
                .hasMessage("receiver refused: peer ID " + stranger.id() + " is not allowed on folder 'nope' (AUTH_FAILED)");
    }

    @Test
    void theTokenModeRunsOverTlsWhenBothSidesHaveIdentities() throws IOException {
        Identity stranger = KeyGen.generate(tmp.resolve("stranger"), Instant.now());
        PushSettings withToken = Loopback.pushSettings(receiver.address().getPort(), "music", TOKEN)
                .withPin(new SenderPin(stranger, receiverId.id()));

        assertThat(push(withToken).failures()).isEmpty();
        Trees.assertIdentical(source, music);

        PushSettings wrongToken = Loopback.pushSettings(receiver.address().getPort(), "music",
                Token.of("not-the-token-0123456789")).withPin(new SenderPin(stranger, receiverId.id()));
        assertThatThrownBy(() -> push(wrongToken)).hasMessage("receiver refused: peer ID " + stranger.id()
                + " is not allowed on folder 'music' (and its token does not match) (AUTH_FAILED)");
    }

    @Test
    void aPlaintextSenderAtATlsReceiverIsToldTlsIsRequiredFast() throws IOException {
        try (CapturedLog log = CapturedLog.from(authFailuresClass(), Level.DEBUG)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> push(Loopback.pushSettings(receiver.address().getPort(), "photos", TOKEN)))
                    .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.credentialsRefused()).isTrue())
                    .hasMessage("receiver refused: this receiver requires TLS: configure an identity and pin its ID"
                            + " (AUTH_FAILED)");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(FAST_MS);
            Awaitility.await().atMost(Duration.ofMillis(FAST_MS)).untilAsserted(() -> assertThat(log.at(Level.WARN))
                    .containsExactly("peer 127.0.0.1: peer speaks plaintext but this receiver requires TLS (told it so);"
                            + " closed (further attempts from it are counted, not logged)"));
        }
        assertThat(Trees.list(photos)).isEmpty();
    }

    @Test
    void aTlsSenderAtAPlaintextReceiverIsToldItDoesNotSpeakTlsFast() throws IOException {
        Path plainDir = Files.createDirectories(tmp.resolve("plain"));
        try (Receiver plain = Receiver.start(Loopback.receiverSettings(TOKEN, Map.of("photos", plainDir)));
             CapturedLog log = CapturedLog.from(authFailuresClass(), Level.DEBUG)) {
            int port = plain.address().getPort();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> push(Loopback.pushSettings(port, "photos", TOKEN)
                    .withPin(new SenderPin(senderS, receiverId.id()))))
                    .isInstanceOfSatisfying(PushException.class, e -> assertThat(e.credentialsRefused()).isTrue())
                    .hasMessageStartingWith("receiver at 127.0.0.1:" + port
                            + " does not speak TLS (is it configured with an identity?)");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(FAST_MS);
            // (the receiver logs once the sender has closed its end, which may be just after the push returns)
            Awaitility.await().atMost(Duration.ofMillis(FAST_MS)).untilAsserted(() -> assertThat(log.at(Level.WARN))
                    .containsExactly("peer 127.0.0.1: peer speaks TLS but this receiver is plaintext; closed (further"
                            + " attempts from it are counted, not logged)"));
            assertThat(Trees.list(plainDir)).isEmpty();
        }
    }

    @Test
    void aClientOfferingOnlyTls12IsRefusedByTheReceiver() throws Exception {
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), receiver.address().getPort());
             SSLSocket s = (SSLSocket) tls12.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), true)) {
            s.setSoTimeout((int) FAST_MS);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(s::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(receiver.stats().snapshot().connectionsAccepted()).isZero();
    }

    @Test
    void theReceiversStatusShowsTheIdAPeerProved() throws Exception {
        Socket raw = new Socket(InetAddress.getLoopbackAddress(), receiver.address().getPort());
        SSLSocket tls = Tls.connect(Tls.clientContext(senderS, receiverId.id()), raw, "127.0.0.1");
        try (FrameChannel channel = new FrameChannel(tls, WireLimits.defaults())) {
            channel.send(new HandshakeFrame.Hello(Protocol.VERSION, Protocol.VERSION, "photos", new byte[32], "test"));
            assertThat(channel.read()).isInstanceOf(HandshakeFrame.Challenge.class);
            channel.send(new HandshakeFrame.Auth(new byte[Proof.LENGTH])); // no token: the ID speaks
            assertThat(channel.read()).isInstanceOf(HandshakeFrame.Welcome.class);

            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(receiver.status().peers())
                    .singleElement().satisfies(p -> {
                        assertThat(p.folder()).isEqualTo("photos");
                        assertThat(p.id()).isEqualTo(senderS.id().toString());
                    }));
        }
    }

    static Class<?> authFailuresClass() {
        try {
            return Class.forName("dev.ferry.receive.AuthFailures");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
