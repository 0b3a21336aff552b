package dev.ferry.receive;

import dev.ferry.disk.Beneath;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HashAlgorithm;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Whether a session may take on an offered file, and the {@link IncomingFile} if so: the receiver's size limit, the
 * peer's limits and the hash budget ({@link PeerLimits}), and the lock on its final path ({@link PathLocks}: one
 * writer per path). Runs on the session's thread, for its {@link FileFrameHandler}; holds the session's digesters.
 */
final class FileAdmission {
    private final ReceiverShared shared;
    private final Beneath root;
    private final WriteOptions options;
    private final SessionHeartbeat heartbeat;
    private final Map<HashAlgorithm, ChunkDigester> digesters = new EnumMap<>(HashAlgorithm.class);

    FileAdmission(ReceiverShared shared, Beneath root, WriteOptions options, SessionHeartbeat heartbeat) {
        this.shared = shared;
        this.root = root;
        this.options = options;
        this.heartbeat = heartbeat;
    }

    /**
     * The file {@code o} offers, its hash bytes taken from the budget and {@code target} locked for {@code owner};
     * on a failure, nothing is held.
     *
     * @param inFlight files the session receives now
     */
    IncomingFile admit(Frame.Offer o, Path target, int inFlight, Object owner) throws FileFailure {
        ReceiverSettings settings = shared.settings();
        if (o.size() > settings.maxFileSize()) {
            throw new FileFailure(ErrorCode.TOO_LARGE, "'" + SafePaths.printable(o.path()) + "' is " + o.size()
                    + " bytes, this receiver accepts at most " + settings.maxFileSize());
        }
        long hashBytes = shared.peerLimits().admit(o, inFlight, shared.hashBudget());
        if (!shared.locks().tryLock(target, owner)) {
            shared.hashBudget().release(hashBytes);
            throw new FileFailure(ErrorCode.BUSY, "'" + SafePaths.printable(o.path()) + "' is being written by another connection");
        }
        try {
            return new IncomingFile(o, root, target, digesters.computeIfAbsent(o.algorithm(), ChunkDigester::of), options,
                    heartbeat);
        } catch (RuntimeException | Error e) {
            shared.hashBudget().release(hashBytes);
            shared.locks().unlock(target, owner);
            throw e;
        }
    }
}
