package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * One {@link StripeJob} carried out on a connection that did not offer the file: JOIN it on the receiver, then for
 * each chunk of the stripe its hash (a one-entry HASHES) and the CHUNK, while the {@link ChunkWindow} has room;
 * NACKed chunks go again after a backoff; it ends when every chunk is ACKed, or when the receiver refuses the
 * stream (ERROR with its id), a chunk is refused too often, the source changed, or the owner's file ended. The
 * session's writer thread (the stripe's thread, {@link StripeCrew}) runs it; the session's reader feeds it frames.
 */
final class StripeRun {
    private final SessionParts parts;
    private final PushSettings settings;
    private final StripeJob job;
    private final FrameOut out;
    private final ChunkWindow window;
    private final int id;
    private final OutgoingFile file;
    private final BitSet acked = new BitSet();
    private final byte[] hashes;
    private final int digestLength;
    private long chunksSent;
    private long chunksResent;
    private long bytesSent;
    private long wireBytes;
    private boolean sourceChanged;
    /** Why the stripe stops short; null while it goes on. */
    private String failure;
    /** The receiver ended the stream (ERROR with its id): nothing to tell it. */
    private boolean endedByReceiver;

    StripeRun(SessionParts parts, StripeJob job) {
        this.parts = parts;
        this.settings = parts.settings();
        this.job = job;
        this.out = parts.link().out();
        this.window = new ChunkWindow(settings.maxBytesInFlight(), settings.resendBackoff(), parts.clock());
        this.id = parts.ids().getAsInt();
        this.file = new OutgoingFile(id, job.entry(), null, null);
        this.digestLength = settings.algorithm().digestLength();
        this.hashes = new byte[Math.multiplyExact(FileDigest.chunkCount(job.entry().size(), settings.chunkSize()), digestLength)];
    }

    /** Carries the stripe out; a {@link PushException} or {@link IOException} means the connection itself failed. */
    StripeResult run() throws IOException, InterruptedException {
        try {
            if (!parts.link().streamsGranted()) {
                return StripeResult.failed(job, "receiver at " + parts.link().target() + " did not agree on parallel streams");
            }
            file.addNeed(new Frame.Need(id, job.ranges(), false, false));
            out.write(new Frame.Join(id, job.key(), job.remotePath()));
            window.queue(file);
            loop();
            if (failure != null && !endedByReceiver) {
                out.write(new Frame.Error(ErrorCode.IO, id, failure)); // (the receiver drops what is still on its way)
            }
            out.flush();
            return result(failure);
        } finally {
            file.closeSource();
        }
    }

    /** What the stripe got done so far, ending with {@code why} (null: every chunk acknowledged). */
    StripeResult result(String why) {
        return new StripeResult(job, acked, hashes, chunksSent, chunksResent, bytesSent, wireBytes, sourceChanged, why);
    }

    private void loop() throws IOException, InterruptedException {
        while (failure == null && !file.allAcked()) {
            if (job.cancelled().get()) {
                failure = "the file ended on the connection that offered it";
                return;
            }
            SessionEvent e = parts.events().poll();
            if (e != null) {
                handle(e);
                continue;
            }
            window.releaseDueResends(i -> true);
            if (window.next() != null) {
                send();
                continue;
            }
            e = parts.nextEvent(out, Math.min(window.waitNs(settings.keepAlive().toNanos()), TimeUnit.MILLISECONDS.toNanos(200)));
            if (e != null) {
                handle(e);
            }
        }
    }

    private void handle(SessionEvent e) throws IOException {
        switch (e) {
            case SessionEvent.Arrived(Frame.Ack a) when a.fileId() == id -> {
                long before = file.unackedBytes();
                file.acked(a.index(), length(a.index()));
                window.acked(before - file.unackedBytes());
                acked.set(a.index());
            }
            case SessionEvent.Arrived(Frame.Nack n) when n.fileId() == id -> refused(n);
            case SessionEvent.Arrived(Frame.Error err) when err.session() -> throw PushException.refused(err);
            case SessionEvent.Arrived(Frame.Error err) when err.fileId() == id -> {
                endedByReceiver = true;
                failure = "receiver refused the stream: " + err.message() + " (" + err.code() + ")";
            }
            case SessionEvent.Arrived(Frame.Ping p) -> out.write(new Frame.Pong(p.value()));
            case SessionEvent.Arrived a -> {
                // (a late answer to an earlier plan or stripe of this connection)
            }
            case SessionEvent.ReadFailed r -> throw new PushException("connection to " + parts.link().target() + " failed: "
                    + r.error().getMessage(), r.error());
            default -> {
                // (a plan's hasher events: none run while a stripe has the connection)
            }
        }
    }

    private void refused(Frame.Nack n) {
        int length = length(n.index());
        file.nacked(n.index(), length);
        window.refused(length);
        int attempts = file.attempts(n.index());
        if (n.reason() == ErrorCode.HASH_MISMATCH && attempts >= 2) {
            sourceChanged = true;
            failure = "source changed while it was pushed (chunk " + n.index() + " no longer matches its hash)";
        } else if (attempts >= settings.maxChunkAttempts()) {
            failure = "chunk " + n.index() + " refused " + attempts + " times (" + n.reason() + ")";
        } else {
            window.resendLater(file, n.index(), attempts);
        }
    }

    /** Reads the next chunk, hashes it, and sends its hash and then the chunk. */
    private void send() throws IOException {
        if (!file.hasChunkToSend()) {
            window.unqueue(file);
            return;
        }
        int index = file.nextChunk();
        if (!file.hasChunkToSend()) {
            window.unqueue(file);
        }
        int length = length(index);
        ChunkBuffer buffer = parts.chunks();
        ByteBuffer data;
        try {
            data = buffer.read(file, index, length);
        } catch (IOException e) {
            failure = "cannot read: " + e.getMessage();
            return;
        }
        byte[] h = new byte[digestLength];
        buffer.hash(h);
        boolean resent = file.attempts(index) > 0;
        if ((job.digest() != null && !job.digest().chunkEquals(index, h, 0))
                || (resent && !Arrays.equals(hashes, index * digestLength, index * digestLength + digestLength, h, 0, digestLength))) {
            sourceChanged = true;
            failure = "source changed while it was pushed (chunk " + index + " differs from when it was first read)";
            return;
        }
        System.arraycopy(h, 0, hashes, index * digestLength, digestLength);
        out.write(new Frame.Hashes(id, index, settings.algorithm(), h));
        wireBytes += out.writeChunk(new Frame.Chunk(id, index, buffer.crc(data), data));
        int attempt = file.sent(index, length);
        window.sent(length);
        chunksSent++;
        bytesSent += length;
        if (attempt > 1) {
            chunksResent++;
        }
    }

    private int length(int index) {
        return FileDigest.chunkLength(job.entry().size(), settings.chunkSize(), index);
    }
}
