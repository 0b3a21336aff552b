package dev.ferry.receive;

import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
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
        void failed(int opId, FileFailure failure) throws IOException;
    }

    /** One DELETE, RENAME or SYMLINK. */
    private interface TreeChange {
        void run() throws BadPathException, FileFailure;
    }

    private final Path root;
    /** Dates the trash folder; null without a trash. */
    private final Clock trash;
    private final ReceiverStats stats;
    private final FrameChannel channel;
    private final Failed failed;

    TreeOpHandler(Path root, Clock trash, ReceiverStats stats, FrameChannel channel, Failed failed) {
        this.root = root;
        this.trash = trash;
        this.stats = stats;
        this.channel = channel;
        this.failed = failed;
    }

    void delete(Frame.Delete d) throws IOException {
        change(d.opId(), () -> TreeOps.delete(root, d.path(), trash), (trash != null ? "moved to trash " : "deleted ") + d.path(),
                stats.deletes);
    }

    void rename(Frame.Rename r) throws IOException {
        change(r.opId(), () -> TreeOps.rename(root, r.from(), r.to(), trash), "renamed " + r.from() + " -> " + r.to(),
                stats.renames);
    }

    void symlink(Frame.Symlink l) throws IOException {
        change(l.opId(), () -> TreeOps.symlink(root, l), "symlink " + l.path() + " -> " + l.target(), null);
    }

    /** Do it, count it in {@code done} (if any), answer DONE or a file-level ERROR with the operation's id. */
    private void change(int opId, TreeChange op, String what, AtomicLong done) throws IOException {
        try {
            op.run();
            if (done != null) {
                done.incrementAndGet();
            }
            log.info("{}", SafePaths.printable(what));
            channel.write(new Frame.Done(opId));
        } catch (BadPathException e) {
            stats.pathsRefused.incrementAndGet();
            failed.failed(opId, new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            failed.failed(opId, e);
        }
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
