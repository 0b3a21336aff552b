package dev.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS 1.3 with pinned keys over real sockets on 127.0.0.1. */
class TlsTest {
    @TempDir
    static Path tmp;
    static Identity receiver;
    static Identity sender;
    ServerSocket server;

    @BeforeEach
    void setUp() throws IOException {
        if (receiver == null) {
            receiver = KeyGen.generate(tmp.resolve("receiver"), Instant.now());
            sender = KeyGen.generate(tmp.resolve("sender"), Instant.now());
        }
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
    }

    /** Accepts one connection as the receiver, reads one byte, answers with it + 1 and the client's ID's length. */
    CompletableFuture<Object> serveOnce() {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket plain = server.accept()) {
                plain.setSoTimeout(10_000);
                SSLSocket tls = Tls.accept(Tls.serverContext(receiver), plain);
                PeerId client = Tls.peerId(tls);
                int b = tls.getInputStream().read();
                tls.getOutputStream().write(b + 1);
                tls.getOutputStream().flush();
                return client;
            } catch (IOException e) {
                return e;
            }
        });
    }

    Socket dial() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void aPinnedReceiverAndAnyKeyedSenderTalkTls13AndKnowEachOther() throws Exception {
        CompletableFuture<Object> served = serveOnce();
        try (SSLSocket tls = Tls.connect(Tls.clientContext(sender, receiver.id()), dial(), "127.0.0.1")) {
            assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(Tls.peerId(tls)).isEqualTo(receiver.id());
            OutputStream out = tls.getOutputStream();
            InputStream in = tls.getInputStream();
            out.write(41);
            out.flush();
            assertThat(in.read()).isEqualTo(42);
        }
        assertThat(served.get(10, TimeUnit.SECONDS)).as("the receiver knows the sender's ID").isEqualTo(sender.id());
    }

    @Test
    void aSenderRefusesAReceiverWithAnotherKeyBeforeSendingAnything() throws Exception {
        CompletableFuture<Object> served = serveOnce();
        PeerId expected = sender.id(); // any ID but the receiver's
        assertThatThrownBy(() -> Tls.connect(Tls.clientContext(sender, expected), dial(), "127.0.0.1"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("receiver presented ID " + receiver.id() + ", expected " + expected);
        assertThat(served.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
    }

    @Test
    void aClientOfferingOnlyTls12IsRefused() throws Exception {
        CompletableFuture<Object> served = serveOnce();
        SSLContext ctx = Tls.clientContext(sender, receiver.id());
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(dial(), "127.0.0.1", server.getLocalPort(), true);
        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        try (tls) {
            assertThatThrownBy(tls::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(served.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        CompletableFuture<Object> served = serveOnce();
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, new javax.net.ssl.TrustManager[] {PinnedTrust.expecting(receiver.id())}, null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(dial(), "127.0.0.1", server.getLocalPort(), true);
        // TLS 1.3: the client may finish its side of the handshake before the server's refusal arrives, so the
        // refusal shows at the handshake, the write (broken pipe) or the read, whichever comes first
        Object outcome;
        try (tls) {
            tls.startHandshake();
            tls.getOutputStream().write(1);
            tls.getOutputStream().flush();
            outcome = tls.getInputStream().read();
        } catch (IOException refused) {
            outcome = refused;
        }
        assertThat(outcome).as("refused, or closed without an answer").satisfiesAnyOf(
                o -> assertThat(o).isInstanceOf(IOException.class), o -> assertThat(o).isEqualTo(-1));
        assertThat(served.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
    }
}
