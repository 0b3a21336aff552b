package dev.ferry.receive;

import static dev.ferry.receive.HostileClientTest.CHUNK;
import static dev.ferry.receive.HostileClientTest.TOKEN;
import static dev.ferry.receive.HostileClientTest.chunk;
import static dev.ferry.receive.HostileClientTest.digest;
import static dev.ferry.receive.HostileClientTest.hashOf;
import static dev.ferry.receive.HostileClientTest.offer;
import static dev.ferry.receive.HostileClientTest.streamedOffer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.hash.FileDigest;
import dev.ferry.testing.RawClient;
import dev.ferry.testing.Trees;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.testing.Loopback;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receiver-side resume, frame by frame against a real receiver: a transfer cut off mid-file keeps its verified
 * chunks in the partial file and its sidecar, and the next OFFER of the file is answered with only the rest.
 */
class ResumeTest {
    @TempDir
    Path tmp;
    Path target;
    Path partials;
    Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        target = Files.createDirectories(tmp.resolve("target"));
        partials = target.resolve(".ferry/partial");
        receiver = Receiver.start(Loopback.receiverSettings(TOKEN,
                Map.of("f", target)));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    RawClient client() throws IOException {
        return RawClient.authenticated(receiver.address().getPort(), "f", TOKEN);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** First attempt: OFFER, then chunks {@code sent} acknowledged, then the connection drops. */
    void firstAttempt(byte[] content, int... sent) throws IOException {
        try (RawClient c = client()) {
            Frame need = c.send(offer(1, "big.bin", content));
            assertThat(need).isInstanceOf(Frame.Need.class);
            for (int i : sent) {
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
        }
        awaitSessionsGone();
    }

    void awaitSessionsGone() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> receiver.activeSessions() == 0);
    }

    @Test
    void droppedTransferResumesWithOnlyTheMissingChunks() throws IOException {
        byte[] content = random(3 * CHUNK + 5, 1);
        firstAttempt(content, 0, 1);
        assertThat(Trees.list(partials)).as("partial and sidecar kept").hasSize(2);

        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "big.bin", content))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(2, 2)), false, false));
            assertThat(c.send(chunk(1, 2, content))).isEqualTo(new Frame.Ack(1, 2));
            assertThat(c.send(chunk(1, 3, content))).isEqualTo(new Frame.Ack(1, 3));
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(content);
        assertThat(receiver.stats().snapshot().chunksResumed()).isEqualTo(2);
        assertThat(Trees.list(partials)).as("nothing left behind after the commit").isEmpty();
    }

    @Test
    void anAcknowledgedChunkIsAlreadyRecordedInTheSidecar() throws IOException {
        byte[] content = random(2 * CHUNK, 2);
        try (RawClient c = client()) {
            c.send(offer(1, "big.bin", content));
            assertThat(c.send(chunk(1, 1, content))).isEqualTo(new Frame.Ack(1, 1));

            // while the connection is still open: the ACK promised the chunk is on disk and recorded
            Path sidecar = Sidecars.pathsOf(target, "big.bin").sidecarPath();
            PartialSidecar.Contents recorded = Sidecars.read(sidecar);
            assertThat(recorded.version()).isEqualTo(new PartialSidecar.Version("big.bin", content.length, 1_700_000_000L, 0, CHUNK,
                    HashAlgorithm.XXH3_128));
            assertThat(recorded.chunks()).containsOnlyKeys(1);
            assertThat(recorded.chunks().get(1)).isEqualTo(java.util.Arrays.copyOfRange(digest(content).chunkHashes(), 16, 32));
        }
    }

    @Test
    void aNewVersionReusesTheChunksItShares() throws IOException {
        byte[] first = random(3 * CHUNK, 3);
        firstAttempt(first, 0, 1, 2);
        byte[] second = first.clone();
        second[CHUNK + 7] ^= 1; // chunk 1 changed, chunks 0 and 2 did not

        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "big.bin", second))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 1)), false, false));
            assertThat(c.send(chunk(1, 1, second))).isEqualTo(new Frame.Ack(1, 1));
            assertThat(c.send(new Frame.Commit(1))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(second);
        assertThat(receiver.stats().snapshot().chunksResumed()).isEqualTo(2);
    }

    @Test
    void aPartialReplacedByAnInlineVersionLeavesNoSidecarBehind() throws IOException {
        firstAttempt(random(3 * CHUNK, 7), 0); // a resumable attempt leaves a partial file and its sidecar
        assertThat(Trees.list(partials)).hasSize(2);

        byte[] small = random(1000, 8); // the next version is sent inline: its partial file has no sidecar
        try (RawClient c = client()) {
            c.channel().write(InlineOfferTest.inlineOffer(1, "big.bin", small));
            c.channel().write(chunk(1, 0, small));
            c.channel().write(new Frame.Commit(1));
            c.channel().flush();
            assertThat(c.read()).isEqualTo(new Frame.Ack(1, 0));
            assertThat(c.read()).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(small);
        assertThat(Trees.list(partials)).as("the earlier attempt's sidecar went with its partial file").isEmpty();
    }

    /** First attempt of a streamed file: NEED all, then HASHES(0) + CHUNK(0) acknowledged, then the link drops. */
    void firstStreamedAttempt(byte[] content) throws IOException {
        try (RawClient c = client()) {
            assertThat(c.send(streamedOffer(1, "big.bin", content))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(0, 4)), false, false));
            c.channel().write(hashOf(1, 0, content));
            assertThat(c.send(chunk(1, 0, content))).isEqualTo(new Frame.Ack(1, 0));
        }
        awaitSessionsGone();
    }

    @Test
    void aStreamedOfferOfTheSameFileGoesOnWithTheMissingChunksAtOnce() throws IOException {
        byte[] content = random(3 * CHUNK + 1, 4);
        firstStreamedAttempt(content);

        FileDigest d = digest(content);
        try (RawClient c = client()) {
            // same size and mtime: no hash list first; the kept chunk is checked by the file hash with COMMIT
            assertThat(c.send(streamedOffer(1, "big.bin", content))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 3)), false, false));
            for (int i = 1; i < 4; i++) {
                c.channel().write(hashOf(1, i, content));
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(c.send(new Frame.Commit(1, d.fileHash()))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(content);
        assertThat(receiver.stats().snapshot().chunksResumed()).isEqualTo(1);
    }

    @Test
    void aStreamedOfferOfAnotherVersionAsksForTheHashesFirstAndReusesWhatMatches() throws IOException {
        byte[] content = random(3 * CHUNK + 1, 4);
        firstStreamedAttempt(content);

        FileDigest d = digest(content);
        Frame.Offer o = streamedOffer(1, "big.bin", content);
        Frame.Offer touched = new Frame.Offer(1, o.kind(), o.path(), o.size(), o.mtimeSeconds() + 60, 0, o.mode(), o.chunkSize(),
                o.algorithm(), new byte[0], o.chunkCount(), new byte[0], Frame.Delivery.STREAMED);
        try (RawClient c = client()) {
            assertThat(c.send(touched)).isEqualTo(Frame.Need.hashesFirst(1));
            Frame need = c.send(new Frame.Hashes(1, 0, HashAlgorithm.XXH3_128, d.chunkHashes()));
            assertThat(need).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 3)), false, false));
            for (int i = 1; i < 4; i++) {
                assertThat(c.send(chunk(1, i, content))).isEqualTo(new Frame.Ack(1, i));
            }
            assertThat(c.send(new Frame.Commit(1, d.fileHash()))).isEqualTo(new Frame.Done(1));
        }
        assertThat(Files.readAllBytes(target.resolve("big.bin"))).isEqualTo(content);
    }

    @Test
    void aKeptChunkThatNoLongerMatchesFailsTheCommitAndIsDiscarded() throws IOException {
        byte[] content = random(3 * CHUNK + 1, 4);
        firstStreamedAttempt(content);
        byte[] changed = content.clone();
        changed[5] ^= 1; // same size and mtime, different bytes in the kept chunk (a lying clock, a careless tool)

        FileDigest d = digest(changed);
        try (RawClient c = client()) {
            assertThat(c.send(streamedOffer(1, "big.bin", changed))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 3)), false, false));
            for (int i = 1; i < 4; i++) {
                c.channel().write(hashOf(1, i, changed));
                assertThat(c.send(chunk(1, i, changed))).isEqualTo(new Frame.Ack(1, i));
            }
            Frame answer = c.send(new Frame.Commit(1, d.fileHash()));
            assertThat(answer).isInstanceOf(Frame.Error.class);
            assertThat(((Frame.Error) answer).code()).isEqualTo(dev.ferry.wire.ErrorCode.HASH_MISMATCH);
        }
        assertThat(target.resolve("big.bin")).doesNotExist();
        assertThat(Trees.list(partials)).as("the partial is discarded: the next attempt starts clean").isEmpty();
    }

    @Test
    void aTornSidecarTailCostsOnlyTheChunksItNoLongerNames() throws IOException {
        byte[] content = random(3 * CHUNK, 5);
        firstAttempt(content, 0, 1);
        Path sidecar = Sidecars.pathsOf(target, "big.bin").sidecarPath();
        try (FileChannel ch = FileChannel.open(sidecar, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 3); // the record of chunk 1 is cut short, as by a crash while it was written
        }

        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "big.bin", content))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 2)), false, false));
        }
        assertThat(receiver.stats().snapshot().chunksResumed()).isEqualTo(1);
    }

    @Test
    void aSidecarWhosePartialFileIsTooShortIsNotBelieved() throws IOException {
        byte[] content = random(3 * CHUNK, 6);
        firstAttempt(content, 0, 2);
        Path data = Sidecars.pathsOf(target, "big.bin").dataPath();
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.truncate(CHUNK); // chunk 2's bytes are gone, whatever the sidecar says
        }

        try (RawClient c = client()) {
            assertThat(c.send(offer(1, "big.bin", content))).isEqualTo(new Frame.Need(1, List.of(new Frame.Range(1, 2)), false, false));
        }
    }
}
