package dev.ferry.receive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ACKs come back only with their chunks in the sidecar; a file that cannot be persisted loses its ACKs. */
class DurableAcksTest {
    @TempDir
    Path dir;

    private final Semaphore wakes = new Semaphore(0);
    private dev.ferry.disk.Beneath folder;

    private dev.ferry.disk.Beneath folder() throws java.io.IOException {
        if (folder == null) {
            folder = dev.ferry.disk.Beneath.open(dir);
        }
        return folder;
    }

    @org.junit.jupiter.api.AfterEach
    void closeFolder() {
        if (folder != null) {
            folder.close();
        }
    }

    @Test
    void acksComeBackAfterTheirChunksAreInTheSidecar() throws Exception {
        PartialSidecar.Version v = new PartialSidecar.Version("a.bin", 3 * 1024, 1, 2, 1024, HashAlgorithm.XXH3_128);
        PartialFile file = PartialFile.fresh(PartialPaths.of(folder(), "a.bin"), true, v, true);
        byte[] hashes = new byte[3 * 16];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) i;
        }
        try (DurableAcks durable = new DurableAcks("test", wakes::release)) {
            List<Frame.Ack> acks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                file.write(ByteBuffer.wrap(new byte[1024]), i * 1024L);
                file.written(i);
                acks.add(new Frame.Ack(7, i));
            }
            PartialFile.ChunksToPersist p = file.takeNotDurable(7, "a.bin", hashes, 16);
            assertThat(p.indices()).containsExactly(0, 1, 2);
            assertThat(file.takeNotDurable(7, "a.bin", hashes, 16)).as("taken once").isNull();

            durable.submit(new DurableAcks.HeldAcks(acks, List.of(p)));
            durable.submit(new DurableAcks.HeldAcks(List.of(new Frame.Ack(7, 2)), List.of())); // a re-sent chunk's ACK
            durable.awaitIdle();

            assertThat(wakes.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
            List<Frame.Ack> back = new ArrayList<>();
            for (DurableAcks.ReleasedAcks r; (r = durable.poll()) != null; ) {
                assertThat(r.failures()).isEmpty();
                back.addAll(r.acks());
            }
            assertThat(back).containsExactly(new Frame.Ack(7, 0), new Frame.Ack(7, 1), new Frame.Ack(7, 2), new Frame.Ack(7, 2));
            PartialSidecar.Contents c = Sidecars.read(PartialPaths.of(folder(), "a.bin").sidecarPath());
            assertThat(c.chunks().keySet()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(c.chunks().get(1)).isEqualTo(java.util.Arrays.copyOfRange(hashes, 16, 32));
        } finally {
            file.close();
        }
    }

    @Test
    void aFileThatCannotBePersistedFailsAndLosesItsAcksWhileOthersGoThrough() throws Exception {
        PartialSidecar.Version va = new PartialSidecar.Version("a.bin", 2048, 1, 2, 1024, HashAlgorithm.XXH3_128);
        PartialSidecar.Version vb = new PartialSidecar.Version("b.bin", 2048, 1, 2, 1024, HashAlgorithm.XXH3_128);
        PartialFile a = PartialFile.fresh(PartialPaths.of(folder(), "a.bin"), true, va, false);
        PartialFile b = PartialFile.fresh(PartialPaths.of(folder(), "b.bin"), true, vb, false);
        byte[] hashes = new byte[2 * 16];
        a.written(0);
        b.written(0);
        PartialFile.ChunksToPersist pa = a.takeNotDurable(1, "a.bin", hashes, 16);
        PartialFile.ChunksToPersist pb = b.takeNotDurable(2, "b.bin", hashes, 16);
        a.close(); // persisting a closed file fails like a dead disk would
        try (DurableAcks durable = new DurableAcks("test", wakes::release)) {
            durable.submit(new DurableAcks.HeldAcks(List.of(new Frame.Ack(1, 0), new Frame.Ack(2, 0)), List.of(pa, pb)));
            durable.awaitIdle();

            DurableAcks.ReleasedAcks r = durable.poll();
            assertThat(r.acks()).containsExactly(new Frame.Ack(2, 0));
            assertThat(r.failures()).containsOnlyKeys(1);
            assertThat(r.failures().get(1).code()).isEqualTo(ErrorCode.IO);
            assertThat(r.failures().get(1)).hasMessageStartingWith("cannot write 'a.bin'");
            assertThat(durable.poll()).isNull();
        } finally {
            b.close();
        }
        assertThat(Files.exists(PartialPaths.of(folder(), "b.bin").sidecarPath())).isTrue();
    }

    @Test
    void closeWithNothingSubmittedStartsNoThread() throws IOException {
        DurableAcks durable = new DurableAcks("test", wakes::release);
        durable.close();
        assertThat(durable.poll()).isNull();
    }
}
