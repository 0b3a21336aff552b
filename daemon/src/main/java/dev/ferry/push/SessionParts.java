package dev.ferry.push;

import dev.ferry.time.FerryClock;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What a {@link PushSession} lends each {@link PlanRun}: the parts that live as long as the connection. The session
 * builds them at open; a run uses them on the writer thread (and its hasher and hash-ahead threads post to
 * {@code events}).
 *
 * @param ids           the next OFFER or tree-operation id: unique on the connection, across plans
 * @param events        the one queue the reader, hasher and hash-ahead threads hand the writer their news through
 * @param hashAheadSlot one streamed file is hashed ahead at a time, in the order they were offered (the order their
 *                      chunks go out): with many big files in flight, one sequential reader more, not one per file
 */
record SessionParts(PushSettings settings, DigestCache digests, TransferListener listener, FerryClock clock, PushLink link,
                    IntSupplier ids, BlockingQueue<SessionEvent> events, FilePreparer preparer, ChunkBuffer chunks,
                    Semaphore hashAheadSlot) {
    /**
     * The writer's wait, with {@code out} flushed: the next event within {@code waitNs}, or null when none came, and
     * then a receiver silent for the read timeout fails the session and a link quiet for the keep-alive is pinged.
     */
    SessionEvent nextEvent(FrameOut out, long waitNs) throws IOException, InterruptedException {
        out.flush();
        SessionEvent e = events.poll(waitNs, TimeUnit.NANOSECONDS);
        if (e == null) {
            if (link.silentNs() >= settings.readTimeout().toNanos()) {
                throw new PushException("receiver sent nothing for " + settings.readTimeout());
            }
            if (out.quietNs() >= settings.keepAlive().toNanos()) {
                // nothing to send for a while (e.g. hashing a big file for the receiver): tell it we are alive
                out.send(new Frame.Ping(System.nanoTime()));
            }
        }
        return e;
    }
}
