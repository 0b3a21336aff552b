package dev.ferry.receive;

import dev.ferry.wire.Frame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ACKs of resumable files' chunks, held until those chunks are durable: gathered here, handed to {@link
 * DurableAcks} in batches (when the session's inbox runs dry, or after {@link #ACK_EVERY_BYTES}), and released once
 * made durable. Runs on the session's thread; reports released ACKs and files that could not be made durable
 * through {@link Released}.
 */
final class AckBatcher implements AutoCloseable {
    /**
     * A batch is handed over at least this often: a quarter of a sender's default 32 MiB window, so that it never
     * stalls waiting for ACKs.
     */
    static final long ACK_EVERY_BYTES = 8L << 20;

    /** Where the chunks an ACK waits for come from: the file's chunks written and not yet durable, or null. */
    interface NotDurable {
        PartialFile.ChunksToPersist take(int fileId);
    }

    /** What became of the held ACKs. */
    interface Released {
        /** The chunk is durable: the ACK may go out (if its file is still being received). */
        void durable(Frame.Ack ack) throws IOException;

        /** The file's chunks could not be made durable. */
        void failed(int fileId, FileFailure failure) throws IOException;
    }

    private final DurableAcks durable;
    private final NotDurable notDurable;
    private final List<Frame.Ack> held = new ArrayList<>();
    private long heldBytes;

    /** @param wake called from the durability thread after each batch, to wake a session waiting for frames */
    AckBatcher(String threadName, Runnable wake, NotDurable notDurable) {
        this.durable = new DurableAcks(threadName, wake);
        this.notDurable = notDurable;
    }

    /** Holds the ACK of a chunk of {@code length} bytes written to a resumable file; hands a batch over when big. */
    void hold(Frame.Ack ack, int length) {
        held.add(ack);
        heldBytes += length;
        if (heldBytes >= ACK_EVERY_BYTES) {
            flush();
        }
    }

    /** Hands the held ACKs, and the chunks they wait for, to the durability thread. */
    void flush() {
        if (held.isEmpty()) {
            return;
        }
        List<Frame.Ack> acks = List.copyOf(held);
        held.clear();
        heldBytes = 0;
        List<PartialFile.ChunksToPersist> chunks = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Frame.Ack a : acks) {
            if (seen.add(a.fileId())) {
                PartialFile.ChunksToPersist c = notDurable.take(a.fileId());
                if (c != null) {
                    chunks.add(c);
                }
            }
        }
        durable.submit(new DurableAcks.HeldAcks(acks, chunks));
    }

    /** Reports what the durability thread has finished so far. */
    void release(Released out) throws IOException {
        for (DurableAcks.ReleasedAcks r; (r = durable.poll()) != null; ) {
            for (Frame.Ack a : r.acks()) {
                out.durable(a);
            }
            for (Map.Entry<Integer, FileFailure> f : r.failures().entrySet()) {
                out.failed(f.getKey(), f.getValue());
            }
        }
    }

    /** Waits until nothing is being made durable (before a file is closed, committed or dropped). */
    void awaitIdle() throws IOException {
        durable.awaitIdle();
    }

    /** Waits for the batches in flight (the partial files keep their chunks), then stops the durability thread. */
    @Override
    public void close() {
        durable.close();
    }
}
