package dev.ferry.receive;

import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import dev.ferry.disk.Beneath;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's files: OFFER, HASHES, CHUNK and COMMIT frames, and a sender's ERROR giving one file up, each turned
 * into work on its {@link IncomingFile} and answered with NEED, ACK/NACK, DONE or a file-level ERROR. Holds the
 * files being received, the ids of those that failed (so that chunks still in flight for them are dropped quietly),
 * the {@link AckBatcher} and the {@link CommitGroup}. Runs on the session's thread; a protocol violation is thrown
 * as a {@link ProtocolException}, which ends the session.
 */
final class FileFrameHandler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FileFrameHandler.class);

    private final FrameChannel channel;
    private final ReceiverShared shared;
    private final Beneath root;
    /** The folder's name, for log lines ({@code folder=.. path=.. peer=..}). */
    private final String folder;
    private final SessionTally tally;
    private final WriteOptions options;
    private final SessionHeartbeat heartbeat;
    private final SessionReport report;
    private final SessionFiles files;
    /** Who the peer is, for the files it shares: a JOIN must come from the same. */
    private final String peer;
    /** A SHARE waiting for the OFFER it announces (the next frame of a well-behaved sender). */
    private Frame.Share pendingShare;
    private final FileAdmission admission;
    private final CRC32C crc = new CRC32C();
    private final CommitGroup commits;
    private final AckBatcher acks;
    private final AckBatcher.Released released = new AckBatcher.Released() {
        @Override
        public void durable(Frame.Ack ack) throws IOException {
            if (files.receiving(ack.fileId())) { // (not failed or abandoned meanwhile)
                channel.write(ack);
            }
        }

        @Override
        public void failed(int fileId, FileFailure failure) throws IOException {
            if (files.receiving(fileId)) {
                fail(fileId, failure);
            }
        }
    };
    private final CommitGroup.Outcome committed = new CommitGroup.Outcome() {
        @Override
        public void committed(VerifiedFile f) throws IOException {
            done(f.fileId());
        }

        @Override
        public void failed(VerifiedFile f, FileFailure failure) throws IOException {
            fail(f.fileId(), failure);
        }
    };

    /**
     * @param folder the folder's name, for log lines
     * @param tally  what the session changed, for its summary line
     * @param wake   wakes the session's thread when held ACKs were released
     * @param report where each file's start, progress and end go, for the receiver's status
     * @param files  the session's table of file ids
     * @param peer   who the authenticated peer is (its ID, or its address over plaintext), for shared files
     */
    FileFrameHandler(FrameChannel channel, ReceiverShared shared, Beneath root, String folder, SessionTally tally,
                     WriteOptions options, CommitGroup commits, Runnable wake, SessionReport report, SessionFiles files,
                     String peer) {
        this.channel = channel;
        this.files = files;
        this.peer = peer;
        this.report = report;
        this.shared = shared;
        this.root = root;
        this.folder = folder;
        this.tally = tally;
        this.options = options;
        this.heartbeat = new SessionHeartbeat(channel, shared.clock());
        this.admission = new FileAdmission(shared, root, options, heartbeat);
        this.commits = commits;
        this.acks = new AckBatcher("ferry-durable-" + channel.peer(), wake, id -> {
            IncomingFile f = files.get(id);
            return f == null ? null : f.takeNotDurable();
        });
    }

    /** SHARE: the OFFER that follows may be joined from the sender's other connections. */
    void share(Frame.Share s) throws ProtocolException {
        if (pendingShare != null) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "SHARE for fileId=" + s.fileId() + " while the SHARE for fileId="
                    + pendingShare.fileId() + " waits for its OFFER");
        }
        if (files.used(s.fileId())) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "SHARE reuses fileId=" + s.fileId());
        }
        pendingShare = s;
    }

    void offer(Frame.Offer o) throws IOException {
        if (files.used(o.fileId())) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER reuses fileId=" + o.fileId());
        }
        Frame.Share share = pendingShare;
        pendingShare = null;
        if (share != null && share.fileId() != o.fileId()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "SHARE for fileId=" + share.fileId() + " followed by the OFFER of fileId="
                    + o.fileId());
        }
        try {
            SafePaths.segments(o.path());
            Path target = root.root().resolve(o.path()); // (a key for the locks: the disk is reached through root)
            if (o.kind() == EntryKind.DIRECTORY) {
                DirectoryEntries.apply(root, o);
                channel.write(new Frame.Done(o.fileId()));
                return;
            }
            tally.began();
            IncomingFile file = admission.admit(o, target, files.size(), this);
            files.put(o.fileId(), file);
            if (share != null) {
                file.shareWith(share.key());
            }
            report.receiving(o.fileId(), SafePaths.printable(o.path()), o.size());
            if (o.inline()) {
                file.planInline(); // its chunks and COMMIT are on their way: no NEED
                report.progress(o.fileId(), file.bytesHeld());
            } else if (o.streamed()) {
                List<Frame.Range> all = file.startStreamed();
                shared.stats().chunksResumed.addAndGet(file.resumedChunks());
                report.progress(o.fileId(), file.bytesHeld());
                if (all == null) {
                    channel.write(Frame.Need.hashesFirst(o.fileId()));
                } else {
                    file.openToJoins(shared.sharedFiles(), folder, peer, shared.hashBudget());
                    sendNeed(o.fileId(), all, false);
                }
            } else if (file.hashesComplete()) {
                plan(file);
            }
        } catch (BadPathException e) {
            shared.stats().pathsRefused.incrementAndGet();
            fail(o.fileId(), o.path(), new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            if (e.refusedPath()) {
                shared.stats().pathsRefused.incrementAndGet();
            }
            fail(o.fileId(), o.path(), e);
        }
    }

    void hashes(Frame.Hashes h) throws IOException {
        IncomingFile file = files.known(h.fileId(), "HASHES");
        if (file == null) {
            return;
        }
        try {
            file.addHashes(h);
            if (file.awaitingHashes() && file.hashesComplete()) {
                plan(file);
            }
        } catch (FileFailure e) {
            fail(h.fileId(), e);
        }
    }

    private void plan(IncomingFile file) throws IOException, FileFailure {
        List<Frame.Range> ranges = file.plan();
        shared.stats().chunksReused.addAndGet(file.reusedChunks());
        shared.stats().chunksResumed.addAndGet(file.resumedChunks());
        report.progress(file.offer().fileId(), file.bytesHeld());
        file.openToJoins(shared.sharedFiles(), folder, peer, shared.hashBudget());
        sendNeed(file.offer().fileId(), ranges, file.unchanged());
    }

    /** NEED in frames of at most MAX_RANGES_PER_FRAME ranges. */
    private void sendNeed(int id, List<Frame.Range> ranges, boolean identical) throws IOException {
        int max = Protocol.MAX_RANGES_PER_FRAME;
        for (int from = 0; from < ranges.size(); from += max) {
            int to = Math.min(ranges.size(), from + max);
            channel.write(new Frame.Need(id, ranges.subList(from, to), to < ranges.size(), false));
        }
        if (ranges.isEmpty()) {
            channel.write(new Frame.Need(id, List.of(), false, identical));
        }
    }

    void chunk(Frame.Chunk c) throws IOException {
        IncomingFile file = files.known(c.fileId(), "CHUNK"); // (one that failed: in flight when it failed)
        if (file == null) {
            return;
        }
        try {
            ErrorCode refused = file.accept(c, crc);
            if (refused == null) {
                shared.stats().chunksReceived.incrementAndGet();
                shared.stats().chunkBytesWritten.addAndGet(c.length());
                report.progress(c.fileId(), file.bytesHeld());
                if (file.resumable()) { // (even a re-sent chunk: its ACK follows the batch that makes it durable)
                    acks.hold(new Frame.Ack(c.fileId(), c.index()), c.length());
                } else {
                    channel.write(new Frame.Ack(c.fileId(), c.index()));
                }
                if (log.isTraceEnabled()) { // (per chunk: TRACE, so that DEBUG is one line per file)
                    log.trace("chunk ok folder={} path={} peer={} index={} length={}", folder,
                            SafePaths.printable(file.offer().path()), channel.peer(), c.index(), c.length());
                }
                CommitStep waited = file.commitIfWaiting(); // the re-sent chunk an inline COMMIT waited for
                if (waited != null) {
                    next(c.fileId(), file, waited);
                }
            } else {
                (refused == ErrorCode.CRC_MISMATCH ? shared.stats().crcMismatches : shared.stats().hashMismatches).incrementAndGet();
                log.warn("chunk refused folder={} path={} peer={} index={} reason={}", folder,
                        SafePaths.printable(file.offer().path()), channel.peer(), c.index(), refused);
                channel.write(new Frame.Nack(c.fileId(), c.index(), refused));
            }
        } catch (FileFailure e) {
            fileFailed(c.fileId(), e);
        }
    }

    /**
     * Step 1 of the commit now; steps 2 and 3 when the inbox runs dry or the group is full ({@link #flushCommits}),
     * so that a burst of small files shares its fsyncs.
     */
    void commit(Frame.Commit c) throws IOException {
        IncomingFile file = files.known(c.fileId(), "COMMIT");
        if (file == null) {
            return;
        }
        if (commits.holds(c.fileId())) { // (committed twice, it was answered twice: found by the session fuzz test)
            throw new ProtocolException(ErrorCode.PROTOCOL, "COMMIT repeated for fileId=" + c.fileId());
        }
        acks.flush(); // (a sender waits for every ACK before COMMIT; this only matters for one that does not)
        settleDurable();
        if (files.get(c.fileId()) != file) {
            return; // it failed while its chunks were made durable: the ERROR has gone out
        }
        try {
            next(c.fileId(), file, file.commit(c.fileHash()));
        } catch (FileFailure e) {
            fileFailed(c.fileId(), e);
        }
    }

    private void next(int fileId, IncomingFile file, CommitStep step) throws IOException {
        switch (step) {
            case CommitStep.Waiting w -> {
            }
            case CommitStep.Unchanged u -> done(fileId);
            case CommitStep.Verified v -> {
                if (commits.add(v.file())) {
                    flushCommits();
                }
            }
        }
    }

    /** The sender gave a file up (its source changed or became unreadable): drop the partial, answer nothing. */
    void senderError(Frame.Error e) throws IOException {
        if (e.session()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "sender ended the session: " + e.message() + " (" + e.code() + ")");
        }
        settleDurable();
        commits.withdraw(e.fileId());
        IncomingFile file = files.drop(e.fileId());
        if (file != null) {
            file.abort(true); // chunks the next version shares are reused
            shared.locks().unlock(file.target(), this);
            report.ended(e.fileId());
            files.failed(e.fileId());
            log.debug("sender abandoned folder={} path={} peer={}: {}", folder, SafePaths.printable(file.offer().path()),
                    channel.peer(), e.message());
        }
    }

    /** What waits goes out: ACKs whose chunks are durable now, and files that could not be made durable fail. */
    void releaseDurableAcks() throws IOException {
        acks.release(released);
    }

    /** The held ACKs go to be made durable. */
    void flushAcks() {
        acks.flush();
    }

    /** Steps 2 and 3 of the waiting commits ({@link CommitGroup}), then DONE or ERROR for each. */
    void flushCommits() throws IOException {
        commits.flush(committed);
        root.forgetDirectories(); // (each group starts from a fresh look at the tree: see Beneath)
    }

    /** A failure of a file being received: ERROR with its id, and the session goes on. */
    private void fail(int fileId, FileFailure e) throws IOException {
        IncomingFile file = files.get(fileId);
        fail(fileId, file == null ? "?" : file.offer().path(), e);
    }

    /**
     * A file-level failure (or a tree operation's, by its id), of {@code path} as the sender named it: ERROR with that
     * id, and the session goes on.
     */
    void fail(int fileId, String path, FileFailure e) throws IOException {
        acks.awaitIdle(); // (its result for this file, if any, finds the file gone)
        commits.withdraw(fileId);
        IncomingFile file = files.drop(fileId);
        if (file != null) {
            // a full disk or a permission problem keeps what arrived, for when it is fixed; bad content does not
            file.abort(e.code() != ErrorCode.HASH_MISMATCH && e.code() != ErrorCode.PROTOCOL);
            shared.locks().unlock(file.target(), this);
            report.ended(fileId);
        }
        files.failed(fileId);
        shared.stats().filesFailed.incrementAndGet();
        tally.failed();
        log.warn("file failed folder={} path={} peer={} code={}: {}", folder, SafePaths.printable(path), channel.peer(),
                e.code(), e.getMessage());
        channel.write(new Frame.Error(e.code(), fileId, e.getMessage()));
    }

    /** Ends the session's files: what is being made durable is waited for, and the partial files are kept to resume. */
    @Override
    public void close() {
        acks.close();
        for (IncomingFile f : files.dropAll()) {
            f.abort(true); // the next attempt resumes from what arrived
            shared.locks().unlock(f.target(), this);
            report.ended(f.offer().fileId());
        }
    }

    /** A file-level failure, unless it is a protocol violation: that ends the session. */
    private void fileFailed(int fileId, FileFailure e) throws IOException {
        if (e.code() == ErrorCode.PROTOCOL) {
            throw new ProtocolException(ErrorCode.PROTOCOL, e.getMessage());
        }
        fail(fileId, e);
    }

    /** Before a file is committed or dropped: nothing of it is being made durable any more. */
    private void settleDurable() throws IOException {
        acks.awaitIdle();
        releaseDurableAcks();
    }

    private void done(int fileId) throws IOException {
        IncomingFile file = files.drop(fileId);
        shared.locks().unlock(file.target(), this);
        report.ended(fileId);
        Frame.Offer o = file.offer();
        if (file.unchanged()) {
            shared.stats().filesUnchanged.incrementAndGet();
            tally.unchanged();
            log.debug("unchanged folder={} path={} peer={} size={}", folder, SafePaths.printable(o.path()), channel.peer(),
                    o.size());
        } else {
            shared.stats().filesCommitted.incrementAndGet();
            tally.committed(o.size());
            if (log.isDebugEnabled()) { // (per file: DEBUG; the session's summary line is INFO)
                log.debug("committed folder={} path={} peer={} size={} chunks={} reused={} resumed={} {}={}", folder,
                        SafePaths.printable(o.path()), channel.peer(), o.size(), o.chunkCount(), file.reusedChunks(),
                        file.resumedChunks(), o.algorithm().displayName(), HexFormat.of().formatHex(file.committedHash()));
            }
        }
        channel.write(new Frame.Done(fileId));
    }
}
