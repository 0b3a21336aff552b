package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunks of one plan: each read, checked (CRC32C, and for a streamed file the hash that goes just ahead of it)
 * and written; an ACK moves the {@link ChunkWindow} on and commits a file whose chunks are all acknowledged; a NACK
 * queues the chunk again after a backoff, or gives its file up after too many tries or when the source changed.
 * Runs on the writer thread, for its {@link PlanRun}.
 */
final class ChunkSender {
    private static final Logger log = LoggerFactory.getLogger(ChunkSender.class);

    private final PushSettings settings;
    private final ChunkBuffer buffer;
    private final TransferListener listener;
    private final FrameOut out;
    private final ChunkWindow window;
    private final InFlightFiles files;
    private final PlanTally tally;

    ChunkSender(PushSettings settings, ChunkBuffer buffer, TransferListener listener, FrameOut out, ChunkWindow window,
                InFlightFiles files, PlanTally tally) {
        this.settings = settings;
        this.buffer = buffer;
        this.listener = listener;
        this.out = out;
        this.window = window;
        this.files = files;
        this.tally = tally;
    }

    /** ACK: one chunk fewer in flight; the file commits once all its chunks are acknowledged. */
    void acked(Frame.Ack a) throws IOException {
        OutgoingFile f = files.get(a.fileId());
        if (f == null) {
            return;
        }
        long before = f.unackedBytes();
        f.acked(a.index(), chunkLength(f, a.index()));
        listener.acked(f.entry, a.index());
        window.acked(before - f.unackedBytes());
        if (f.allAcked()) {
            files.commit(f);
        }
    }

    /** NACK: the chunk goes out again after a backoff, or its file is given up. */
    void refused(Frame.Nack n) throws IOException {
        OutgoingFile f = files.get(n.fileId());
        if (f == null) {
            return;
        }
        int length = chunkLength(f, n.index());
        f.nacked(n.index(), length);
        window.refused(length);
        int attempts = f.attempts(n.index());
        log.warn("chunk refused folder={} path={} peer={}:{} index={} reason={} attempt={}", settings.folder(),
                f.entry.remotePath(), settings.host(), settings.port(), n.index(), n.reason(), attempts);
        boolean sourceChanged = n.reason() == ErrorCode.HASH_MISMATCH && attempts >= 2;
        if (sourceChanged) {
            files.abandonChanged(f, "source changed while it was pushed (chunk " + n.index() + " no longer matches its hash)");
            return;
        }
        if (attempts >= settings.maxChunkAttempts()) {
            files.abandon(f, "chunk " + n.index() + " refused " + attempts + " times (" + n.reason() + ")");
            return;
        }
        listener.refused(f.entry, n.index(), attempts, n.reason().name());
        window.resendLater(f, n.index(), attempts);
    }

    /** Sends the next chunk of {@code f} (a re-send first), with its hash ahead of it if {@code f} is streamed. */
    void send(OutgoingFile f) throws IOException {
        if (!f.hasChunkToSend()) {
            window.unqueue(f);
            return;
        }
        int index = f.nextChunk();
        if (!f.hasChunkToSend()) {
            window.unqueue(f);
        }
        int length = chunkLength(f, index);
        ByteBuffer data;
        try {
            data = buffer.read(f, index, length);
        } catch (IOException e) {
            files.abandon(f, "cannot read: " + e.getMessage());
            return;
        }
        if (f.streamed() && !streamHash(f, index)) {
            files.abandonChanged(f, "source changed while it was pushed (chunk " + index + " differs from when it was first read)");
            return;
        }
        int wire = out.writeChunk(new Frame.Chunk(f.id, index, buffer.crc(data), data));
        int attempt = f.sent(index, length);
        window.sent(length);
        tally.chunkSent(length, wire, attempt);
    }

    /**
     * Streamed file: sends chunk {@code index}'s hash ahead of it (first send) — from the read-ahead if it got there,
     * else hashed here from the chunk just read — or checks that a re-send still has the hash that went out. The
     * receiver checks the chunk against that hash. False: the source changed under us. Nothing to do once the whole
     * list went out.
     */
    private boolean streamHash(OutgoingFile f, int index) throws IOException {
        StreamedHashes stream = f.stream();
        if (stream.listSent()) {
            return true;
        }
        byte[] h = new byte[settings.algorithm().digestLength()];
        if (!stream.knownHash(index, h)) {
            buffer.hash(h);
        }
        boolean first = !stream.recorded(index);
        if (!stream.record(index, h)) {
            return false;
        }
        if (first) {
            out.write(new Frame.Hashes(f.id, index, settings.algorithm(), h));
        }
        return true;
    }

    private int chunkLength(OutgoingFile f, int index) {
        return FileDigest.chunkLength(f.size(), settings.chunkSize(), index);
    }
}
