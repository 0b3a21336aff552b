package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import java.io.IOException;

/**
 * What the helper threads of a session hand its writer thread through the session's one event queue: frames from
 * the reader (for the whole connection), and from the current plan's hasher and hash-ahead threads the files ready
 * to offer. Taken and handled only by the writer, in {@link PlanRun}.
 */
sealed interface SessionEvent {

    /** A frame from the receiver (any but PONG). */
    record Arrived(Frame frame) implements SessionEvent {
    }

    /** The reader's read failed: the connection is gone. */
    record ReadFailed(IOException error) implements SessionEvent {
    }

    /** A file hashed (or read whole) and ready to offer. */
    record Prepared(FilePreparer.Ready file) implements SessionEvent {
    }

    /** The whole hash list of a streamed file, from its {@link HashAhead}; or why there is none. */
    record FullyHashed(int fileId, FileDigest digest, IOException error) implements SessionEvent {
    }

    /** A stripe of a file this connection offered ended on another connection. */
    record StripeEnded(StripeResult result) implements SessionEvent {
    }

    /** A listed file that could not be prepared. */
    record PrepareFailed(SourceEntry entry, String reason) implements SessionEvent {
    }

    /** Every file of the plan went out as {@link Prepared} or {@link PrepareFailed}. */
    record PreparedAll() implements SessionEvent {
    }
}
