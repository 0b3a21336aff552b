package dev.ferry.push;

import dev.ferry.time.FerryClock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
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
}
