package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.ferry.disk.Beneath;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's LIST, DELETE, RENAME and SYMLINK frames ({@link TreeOps} does the work): each answered with LISTING
 * frames, DONE, or a failure of that operation's id, reported through {@link Failed} (the session's file
 * handler sends the ERROR). Runs on the session's thread.
 */
final class TreeOpHandler {
    private static final Logger log = LoggerFactory.getLogger(TreeOpHandler.class);

    /** Where an operation's failure goes. */
    interface Failed {
        /** @param path the path the operation is about, as the sender named it */
        void failed(int opId, String path, FileFailure failure) throws IOException;
    }

    /** One DELETE, RENAME or SYMLINK. */
    private interface TreeChange {
        void run() throws BadPathException, FileFailure;
    }

    private final Beneath root;
    /** The folder's name, for log lines ({@code folder=.. path=.. peer=..}). */
    private final String folder;
    private final SessionTally tally;
    /** Dates the trash folder; null without a trash. */
    private final Clock trash;
    private final ReceiverStats stats;
    private final FrameChannel channel;
    private final Failed failed;

    TreeOpHandler(Beneath root, String folder, SessionTally tally, Clock trash, ReceiverStats stats, FrameChannel channel,
                  Failed failed) {
        this.root = root;
        this.folder = folder;
        this.tally = tally;
        this.trash = trash;
        this.stats = stats;
        this.channel = channel;
        this.failed = failed;
    }

    void delete(Frame.Delete d) throws IOException {
        tally.began();
        if (change(d.opId(), d.path(), () -> TreeOps.delete(root, d.path(), trash))) {
            tally.deleted();
            stats.deletes.incrementAndGet();
            log.debug("{} folder={} path={} peer={}", trash != null ? "moved to trash" : "deleted", folder,
                    SafePaths.printable(d.path()), channel.peer());
        }
    }

    void rename(Frame.Rename r) throws IOException {
        tally.began();
        if (change(r.opId(), r.from(), () -> TreeOps.rename(root, r.from(), r.to(), trash))) {
            tally.renamed();
            stats.renames.incrementAndGet();
            log.debug("renamed folder={} path={} to={} peer={}", folder, SafePaths.printable(r.from()),
                    SafePaths.printable(r.to()), channel.peer());
        }
    }

    void symlink(Frame.Symlink l) throws IOException {
        tally.began();
        if (change(l.opId(), l.path(), () -> TreeOps.symlink(root, l))) {
            tally.symlinked();
            log.debug("symlink folder={} path={} peer={} target={}", folder, SafePaths.printable(l.path()), channel.peer(),
                    SafePaths.printable(l.target()));
        }
    }

    /** Do it, answer DONE or a file-level ERROR with the operation's id; true if it was done. */
    private boolean change(int opId, String path, TreeChange op) throws IOException {
        try {
            op.run();
            channel.write(new Frame.Done(opId));
            return true;
        } catch (BadPathException e) {
            stats.pathsRefused.incrementAndGet();
            failed.failed(opId, path, new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            if (e.refusedPath()) {
                stats.pathsRefused.incrementAndGet();
            }
            failed.failed(opId, path, e);
        }
        return false;
    }

    /** LISTING frames for the subtree; a bad path ends the session (a sender only lists what it syncs). */
    void list(Frame.ListRequest l) throws IOException {
        try {
            TreeOps.list(root, l.subtree(), l.requestId(), listing -> {
                try {
                    channel.write(listing);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (BadPathException e) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "LIST of a bad path: " + e.getMessage());
        }
    }
}
