package dev.ferry.receive;

import dev.ferry.wire.Frame;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A session's ACKs of resumable files, released only once their chunks are durable — forced to disk and recorded
 * in the sidecar — by a thread of their own, so that the session goes on receiving and writing while the disk
 * catches up (an fsync of 8 MiB takes milliseconds; the session thread used to wait for each). Batches queued
 * while one is being made durable are merged into the next force. The session's {@link AckBatcher} submits
 * {@link HeldAcks}, takes the {@link ReleasedAcks} (the session thread alone writes frames and fails files), and
 * calls {@link #awaitIdle} before a file that may have a batch in flight is closed, committed or discarded.
 */
final class DurableAcks implements AutoCloseable {
    /** ACKs to send once {@code chunks} are durable. */
    record HeldAcks(List<Frame.Ack> acks, List<PartialFile.ChunksToPersist> chunks) {
    }

    /** The ACKs whose chunks became durable, and the files that could not be made durable. */
    record ReleasedAcks(List<Frame.Ack> acks, Map<Integer, FileFailure> failures) {
    }

    private final BlockingQueue<HeldAcks> queue = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<ReleasedAcks> results = new ConcurrentLinkedQueue<>();
    private final Runnable wake;
    private final String name;
    private int outstanding; // batches submitted and not yet in results; guarded by this
    private Thread worker;

    /** @param wake called after each result, to wake a session waiting for frames */
    DurableAcks(String name, Runnable wake) {
        this.name = name;
        this.wake = wake;
    }

    void submit(HeldAcks batch) {
        synchronized (this) {
            outstanding++;
            if (worker == null) {
                worker = Thread.ofVirtual().name(name).start(this::run);
            }
        }
        queue.add(batch);
    }

    /** The next finished result, or null. */
    ReleasedAcks poll() {
        return results.poll();
    }

    /** Waits until every submitted batch has its result. */
    synchronized void awaitIdle() throws InterruptedIOException {
        while (outstanding > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while chunks were made durable");
            }
        }
    }

    /** Waits for the batches in flight (best effort), then stops the thread. */
    @Override
    public void close() {
        try {
            awaitIdle();
        } catch (InterruptedIOException e) {
            // closing anyway
        }
        Thread w;
        synchronized (this) {
            w = worker;
        }
        if (w != null) {
            w.interrupt();
        }
    }

    private void run() {
        while (true) {
            List<HeldAcks> batches = new ArrayList<>();
            try {
                batches.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batches);
            results.add(persist(batches));
            synchronized (this) {
                outstanding -= batches.size();
                notifyAll();
            }
            wake.run();
        }
    }

    /** One force (and one sidecar sync) per file for all the batches. */
    private static ReleasedAcks persist(List<HeldAcks> batches) {
        Map<PartialFile, List<PartialFile.ChunksToPersist>> byFile = new IdentityHashMap<>();
        List<Frame.Ack> acks = new ArrayList<>();
        for (HeldAcks b : batches) {
            acks.addAll(b.acks());
            for (PartialFile.ChunksToPersist p : b.chunks()) {
                byFile.computeIfAbsent(p.file(), f -> new ArrayList<>()).add(p);
            }
        }
        Map<Integer, FileFailure> failures = new HashMap<>();
        for (Map.Entry<PartialFile, List<PartialFile.ChunksToPersist>> e : byFile.entrySet()) {
            try {
                e.getKey().persist(e.getValue());
            } catch (IOException ex) {
                PartialFile.ChunksToPersist first = e.getValue().getFirst();
                failures.put(first.fileId(), failure(first, ex));
            }
        }
        acks.removeIf(a -> failures.containsKey(a.fileId()));
        return new ReleasedAcks(acks, failures);
    }

    private static FileFailure failure(PartialFile.ChunksToPersist p, IOException e) {
        return FileFailure.of("cannot write '" + p.printable() + "'", e);
    }
}
