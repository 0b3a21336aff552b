package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.auth.Token;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.push.PushResult;
import dev.ferry.push.Pusher;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.wire.PeerClosedException;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frame-level attacks and mistakes against a real receiver: each gets a clear ERROR, and the receiver keeps serving. */
class HostileClientTest {
    static final Token TOKEN = Token.of("hostile-test-token-0123456789");
    static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;
    Path target;
    Path outside;
    Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        target = Files.createDirectories(tmp.resolve("target"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("f", target)).withMaxConnections(2).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    RawClient client() throws IOException {
        return RawClient.authenticated(receiver.address().getPort(), "f", TOKEN);
    }

    static Frame.Offer offer(int id, String path, byte[] content) {
        FileDigest d = digest(content);
        return new Frame.Offer(id, EntryKind.FILE, path, content.length, 1_700_000_000L, 0, 0644, CHUNK,
                HashAlgorithm.XXH3_128, d.fileHash(), d.chunkCount(), d.chunkHashes());
    }

    static FileDigest digest(byte[] content) {
        try {
            Path f = Files.createTempFile("digest", ".bin");
            Files.write(f, content);
            FileDigest d = new FileHasher(HashAlgorithm.XXH3_128, CHUNK).hash(f);
            Files.delete(f);
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Frame.Chunk chunk(int id, int index, byte[] content) {
        int from = index * CHUNK;
        int len = Math.min(CHUNK, content.length - from);
        CRC32C crc = new CRC32C();
        crc.update(content, from, len);
        return new Frame.Chunk(id, index, (int) crc.getValue(), content, from, len);
    }

    /** Sends a whole file through OFFER/NEED/CHUNK/COMMIT and expects DONE. */
    static void sendFile(RawClient c, int id, String path, byte[] content) throws IOException {
        Frame need = c.send(offer(id, path, content));
        assertThat(need).isInstanceOf(Frame.Need.class);
        for (Frame.Range r : ((Frame.Need) need).ranges()) {
            for (int i = r.start(); i < r.start() + r.count(); i++) {
                assertThat(c.send(chunk(id, i, content))).isEqualTo(new Frame.Ack(id, i));
            }
        }
        assertThat(c.send(new Frame.Commit(id))).isEqualTo(new Frame.Done(id));
    }

    @Test
    void pathTraversalOffersAreRefusedAndNothingIsWrittenOutside() throws IOException {
        Files.createSymbolicLink(target.resolve("link"), outside);
        byte[] evil = "evil".getBytes(StandardCharsets.UTF_8);
        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "../outside/escape.txt", evil)))
                    .isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 1, "refused path: '..' segment in '../outside/escape.txt'"));
            assertThat(c.send(offer(2, "/tmp/abs.txt", evil)))
                    .isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 2, "refused path: absolute path '/tmp/abs.txt'"));
            assertThat(c.send(offer(3, "link/escape.txt", evil)))
                    .isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 3, "refused path: 'link/escape.txt' goes through a symlink on the receiver"));
            assertThat(c.send(offer(4, "a\0b", evil)))
                    .isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 4, "refused path: path contains NUL: 'a\\x00b'"));
            assertThat(c.send(offer(5, ".ferry/partial/x.part", evil)))
                    .isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 5,
                            "refused path: '.ferry/partial/x.part' is inside ferry's state folder .ferry/"));
            // the same connection still works for honest files
            sendFile(c, 6, "ok/fine.txt", "fine".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Trees.list(outside)).isEmpty();
        assertThat(Files.readString(target.resolve("ok/fine.txt"))).isEqualTo("fine");
        assertThat(receiver.stats().snapshot().pathsRefused()).isEqualTo(5);
    }

    @Test
    void offerWithHashesInContinuationFramesIsAssembled() throws IOException {
        byte[] content = new byte[5 * CHUNK + 10];
        new java.util.Random(1).nextBytes(content);
        Frame.Offer full = offer(1, "split.bin", content);
        int d = 16;
        Frame.Offer head = new Frame.Offer(1, EntryKind.FILE, "split.bin", full.size(), full.mtimeSeconds(), 0, 0644, CHUNK,
                HashAlgorithm.XXH3_128, full.fileHash(), full.chunkCount(), Arrays.copyOf(full.hashes(), 2 * d));
        try (RawClient c = client()) {
            c.channel().write(head);
            c.channel().write(new Frame.Hashes(1, 2, HashAlgorithm.XXH3_128, Arrays.copyOfRange(full.hashes(), 2 * d, 4 * d)));
            Frame need = c.send(new Frame.Hashes(1, 4, HashAlgorithm.XXH3_128, Arrays.copyOfRange(full.hashes(), 4 * d, 6 * d)));
            assertThat(need).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(0, 6)), false, false));
            for (int i = 0; i < 6; i++) {
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("split.bin"))).isEqualTo(content);
    }

    @Test
    void chunkNotMatchingItsHashIsNackedAndNothingIsCommitted() throws IOException {
        byte[] content = "the real content".getBytes(StandardCharsets.UTF_8);
        byte[] forged = "the fake content".getBytes(StandardCharsets.UTF_8);
        try (RawClient c = client()) {
            c.send(offer(1, "x.txt", content));
            // valid CRC32C over forged bytes: passes transport check, fails the strong hash
            assertThat(c.send(chunk(1, 0, forged))).isEqualTo(new Frame.Nack(1, 0, ErrorCode.HASH_MISMATCH));
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                    "COMMIT with 0 of 1 chunks received"));
        }
        assertThat(Files.exists(target.resolve("x.txt"))).isFalse();
    }

    @Test
    void offerWhoseHashListDoesNotMatchTheFileHashIsRefused() throws IOException {
        byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
        Frame.Offer o = offer(1, "x.txt", content);
        byte[] badHash = o.fileHash().clone();
        badHash[0] ^= 1;
        try (RawClient c = client()) {
            assertThat(c.send(new Frame.Offer(1, EntryKind.FILE, "x.txt", o.size(), 0, 0, 0644, CHUNK, HashAlgorithm.XXH3_128,
                    badHash, 1, o.hashes())))
                    .isEqualTo(new Frame.Error(ErrorCode.HASH_MISMATCH, 1, "chunk hash list does not match the offered file hash"));
        }
    }

    static Frame.Offer streamedOffer(int id, String path, byte[] content) {
        FileDigest d = digest(content);
        return new Frame.Offer(id, EntryKind.FILE, path, content.length, 1_700_000_000L, 0, 0644, CHUNK,
                HashAlgorithm.XXH3_128, new byte[0], d.chunkCount(), new byte[0], Frame.Delivery.STREAMED);
    }

    static Frame.Hashes hashOf(int id, int index, byte[] content) {
        FileDigest d = digest(content);
        return new Frame.Hashes(id, index, HashAlgorithm.XXH3_128, Arrays.copyOfRange(d.chunkHashes(), index * 16, index * 16 + 16));
    }

    @Test
    void streamedFileArrivesWithHashesAheadOfChunksAndTheFileHashAtCommit() throws IOException {
        byte[] content = new byte[2 * CHUNK + 9];
        new java.util.Random(4).nextBytes(content);
        try (RawClient c = client()) {
            assertThat(c.send(streamedOffer(1, "s.bin", content)))
                    .isEqualTo(new Frame.Need(1, List.of(new Frame.Range(0, 3)), false, false));
            for (int i = 0; i < 3; i++) {
                c.channel().write(hashOf(1, i, content));
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(c.send(new Frame.Commit(1, digest(content).fileHash()))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("s.bin"))).isEqualTo(content);
    }

    @Test
    void streamedChunkBeforeItsHashIsAProtocolError() throws IOException {
        byte[] content = new byte[CHUNK + 1];
        try (RawClient c = client()) {
            c.send(streamedOffer(1, "s.bin", content));
            assertThat(c.send(chunk(1, 0, content))).isEqualTo(new Frame.Error(ErrorCode.PROTOCOL, 0,
                    "CHUNK index=0 before its hash (0 of 2 hashes known)"));
        }
    }

    @Test
    void streamedCommitWithAWrongFileHashIsRefused() throws IOException {
        byte[] content = new byte[100];
        try (RawClient c = client()) {
            c.send(streamedOffer(1, "s.bin", content));
            c.channel().write(hashOf(1, 0, content));
            c.send(chunk(1, 0, content));
            assertThat(c.send(new Frame.Commit(1, new byte[16]))).isEqualTo(new Frame.Error(ErrorCode.HASH_MISMATCH, 1,
                    "whole-file hash or size of 's.bin' does not match the offer (size 100 of 100)"));
        }
        assertThat(Files.exists(target.resolve("s.bin"))).isFalse();
    }

    @Test
    void streamedOfferOverAnExistingFileAsksForTheHashesFirst() throws IOException {
        Files.write(target.resolve("s.bin"), new byte[10]);
        try (RawClient c = client()) {
            assertThat(c.send(streamedOffer(1, "s.bin", new byte[100]))).isEqualTo(Frame.Need.hashesFirst(1));
        }
    }

    @Test
    void listDeleteRenameAndSymlinkWorkInsideTheFolderOnly() throws IOException {
        Files.createDirectories(target.resolve("d/e"));
        Files.writeString(target.resolve("d/e/f.txt"), "hello");
        Files.createDirectories(target.resolve(".ferry/partial"));
        try (RawClient c = client()) {
            Frame listing = c.send(new Frame.ListRequest(1, ""));
            assertThat(listing).isInstanceOf(Frame.Listing.class);
            assertThat(((Frame.Listing) listing).entries()).extracting(Frame.ListedEntry::path)
                    .containsExactlyInAnyOrder("d", "d/e", "d/e/f.txt");
            assertThat(c.send(new Frame.Rename(2, "d", "moved/d2"))).isEqualTo(new Frame.Done(2));
            assertThat(Files.readString(target.resolve("moved/d2/e/f.txt"))).isEqualTo("hello");
            assertThat(c.send(new Frame.Rename(3, "gone", "x"))).isEqualTo(new Frame.Error(ErrorCode.NOT_FOUND, 3,
                    "'gone' is not on the receiver"));
            assertThat(c.send(new Frame.Symlink(4, "moved/link", "d2/e/f.txt", 1_700_000_000L, 0))).isEqualTo(new Frame.Done(4));
            assertThat(Files.readSymbolicLink(target.resolve("moved/link")).toString()).isEqualTo("d2/e/f.txt");
            assertThat(c.send(new Frame.Symlink(5, "evil", "../outside", 0, 0))).isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 5,
                    "refused path: symlink 'evil' -> '../outside' points outside the folder"));
            assertThat(c.send(new Frame.Symlink(6, "evil", "/etc/passwd", 0, 0))).isInstanceOf(Frame.Error.class);
            assertThat(c.send(new Frame.Delete(7, "moved"))).isEqualTo(new Frame.Done(7));
            assertThat(c.send(new Frame.Delete(8, "moved"))).isEqualTo(new Frame.Done(8)); // already gone: fine
            assertThat(c.send(new Frame.Delete(9, "../outside"))).isEqualTo(new Frame.Error(ErrorCode.BAD_PATH, 9,
                    "refused path: '..' segment in '../outside'"));
            assertThat(c.send(new Frame.Delete(10, ".ferry"))).isInstanceOf(Frame.Error.class);
        }
        assertThat(Files.exists(target.resolve("moved"))).isFalse();
        assertThat(Files.exists(target.resolve("evil"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.isDirectory(outside)).isTrue();
        assertThat(Files.isDirectory(target.resolve(".ferry/partial"))).isTrue();
    }

    @Test
    void fileLargerThanTheLimitIsRefusedAndTheSessionGoesOn() throws IOException {
        receiver.close();
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("f", target)).withMaxFileSize(1000));
        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "big.bin", new byte[1001]))).isEqualTo(new Frame.Error(ErrorCode.TOO_LARGE, 1,
                    "'big.bin' is 1001 bytes, this receiver accepts at most 1000"));
            sendFile(c, 2, "small.bin", new byte[1000]);
        }
        assertThat(Files.exists(target.resolve("big.bin"))).isFalse();
        assertThat(Files.size(target.resolve("small.bin"))).isEqualTo(1000);
    }

    @Test
    void unknownProtocolVersionIsRejectedWithBothRanges() throws IOException {
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            Frame answer = c.send(new HandshakeFrame.Hello(3, 4, "f", RawClient.NONCE, "future-ferry"));
            assertThat(answer).isEqualTo(new Frame.Error(ErrorCode.UNSUPPORTED_VERSION, 0,
                    "client speaks protocol versions 3..4, this receiver speaks 1..2"));
            assertThatThrownBy(c::read).isInstanceOfAny(PeerClosedException.class, SocketException.class);
        }
    }

    @Test
    void garbageGetsAProtocolErrorAndTheReceiverKeepsServing() throws IOException {
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            OutputStream out = c.socket().getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Frame answer = c.read();
            assertThat(answer).isInstanceOf(Frame.Error.class);
            assertThat(((Frame.Error) answer).code()).isEqualTo(ErrorCode.PROTOCOL);
            assertThat(((Frame.Error) answer).message()).isEqualTo("frame length=1195725856 > max=4096 (type 0x2f)");
        }
        assertHonestPushWorks();
        assertThat(receiver.stats().snapshot().protocolErrors()).isEqualTo(1);
    }

    @Test
    void silentClientIsDroppedAtTheHandshakeDeadline() throws IOException {
        try (RawClient c = new RawClient(receiver.address().getPort())) {
            Frame answer = c.read(); // we send nothing; the receiver gives up after 500 ms
            assertThat(answer).isEqualTo(new Frame.Error(ErrorCode.TIMEOUT, 0, "handshake not completed within 500ms"));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreToldToRetry() throws IOException {
        try (RawClient first = client(); RawClient second = client(); RawClient third = new RawClient(receiver.address().getPort())) {
            assertThat(third.read()).isEqualTo(new Frame.Error(ErrorCode.UNAVAILABLE, 0,
                    "receiver is at its limit of 2 connections; retry later"));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
        assertHonestPushWorks(); // permits came back when those sessions ended
        assertThat(receiver.stats().snapshot().connectionsRejected()).isEqualTo(1);
    }

    @Test
    void aSenderThatFinishesItsHandshakeWhenThePlacesAreGoneIsRefusedNotWelcomed() throws IOException {
        try (RawClient a = new RawClient(receiver.address().getPort()); RawClient b = new RawClient(receiver.address().getPort());
             RawClient c = new RawClient(receiver.address().getPort())) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> receiver.activeSessions() == 3);
            assertThat(a.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
            assertThat(b.handshake("f", TOKEN)).isInstanceOf(HandshakeFrame.Welcome.class);
            assertThat(c.handshake("f", TOKEN)).isEqualTo(new Frame.Error(ErrorCode.UNAVAILABLE, 0,
                    "receiver is at its limit of 2 connections; retry later"));
        }
        assertThat(receiver.stats().snapshot().connectionsRejected()).isEqualTo(1);
    }

    @Test
    void samePathFromTwoConnectionsAtOnceIsBusy() throws IOException {
        byte[] content = new byte[3 * CHUNK];
        try (RawClient a = client(); RawClient b = client()) {
            assertThat(a.send(offer(1, "same.bin", content))).isInstanceOf(Frame.Need.class);
            assertThat(b.send(offer(1, "same.bin", content))).isEqualTo(new Frame.Error(ErrorCode.BUSY, 1,
                    "'same.bin' is being written by another connection"));
        }
    }

    private void assertHonestPushWorks() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("honest"));
        Trees.randomFile(src.resolve("h.bin"), 1000, 5);
        PushResult r = Pusher.push(src, true, "", Loopback.pushSettings(receiver.address().getPort(), "f", TOKEN));
        assertThat(r.ok()).isTrue();
        assertThat(Files.readAllBytes(target.resolve("h.bin"))).isEqualTo(Files.readAllBytes(src.resolve("h.bin")));
    }
}
