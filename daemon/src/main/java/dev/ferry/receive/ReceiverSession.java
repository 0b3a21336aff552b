package dev.ferry.receive;

import static dev.ferry.wire.FrameCodec.PROTOCOL_VERSION;

import dev.ferry.auth.Proof;
import dev.ferry.hash.ChunkDigester;
import dev.ferry.wire.ChunkBufferPool;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.wire.PeerClosedException;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One accepted connection, start to end, on its own virtual thread: handshake, then OFFER/HASHES/CHUNK/COMMIT
 * frames until BYE or disconnect. All state here belongs to that thread; the only shared things are the
 * receiver's path locks and counters. A second virtual thread only reads frames from the socket into an inbox
 * (CHUNK payloads into a small pool of buffers), so that receiving the next chunk overlaps verifying and writing
 * this one; when the pool is exhausted it stops reading and TCP pushes back on the sender.
 *
 * <p>A file-level failure (bad path, disk full, hash mismatch) answers ERROR with that file's id and the session
 * goes on; a protocol violation answers ERROR with file id 0 and ends the session. When the session ends with
 * files unfinished (or the sender gives one up, or the disk fails), their partial files and sidecars stay for the
 * next attempt to resume from ({@link PartialFile}); only bad content (a hash mismatch) discards one.
 */
final class ReceiverSession {
    private static final Logger log = LoggerFactory.getLogger(ReceiverSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Ids of files that failed, kept so that chunks still in flight for them are dropped quietly. */
    private static final int MAX_REMEMBERED_FAILURES = 4096;
    private static final int FLUSH_EVERY = 4;
    /**
     * A resumable file's chunks are acknowledged once durable ({@link DurableAcks}): their batch is handed over
     * when the inbox runs dry, or after this many bytes (a quarter of a sender's default 32 MiB window, so it never stalls).
     */
    private static final long ACK_EVERY_BYTES = 8L << 20;
    /** Chunk bytes one connection may hold between its reader and its writer. */
    private static final long INBOX_BYTES = 8L << 20;
    /** HELLO and AUTH are well under 1 KiB; nothing bigger is read from a peer that has not authenticated. */
    static final int HANDSHAKE_MAX_FRAME = 4096;

    private final Receiver receiver;
    private final ReceiverSettings settings;
    private final FrameChannel channel;
    private final Map<Integer, IncomingFile> files = new HashMap<>();
    private final SequencedSet<Integer> failed = new LinkedHashSet<>();
    private final Map<HashAlgorithm, ChunkDigester> digesters = new EnumMap<>(HashAlgorithm.class);
    private final CRC32C crc = new CRC32C();
    private SessionInbox inbox;
    private CommitGroup commits;
    /** Verified and written chunks of resumable files, acknowledged at the next {@link #flushAcks}. */
    private final List<Frame.Ack> pendingAcks = new ArrayList<>();
    private long pendingAckBytes;
    private ChunkBufferPool chunkBuffers;
    /** Makes resumable files' chunks durable off this thread; their ACKs come back through {@link #drainDurable}. */
    private DurableAcks durable;
    private String folder = "?";
    private Path root;
    private Path partialDir;
    private int unflushed;

    ReceiverSession(Receiver receiver, FrameChannel channel) {
        this.receiver = receiver;
        this.settings = receiver.settings();
        this.channel = channel;
    }

    /** Runs the session to its end; never throws. */
    void run() {
        MDC.put("peer", channel.peer());
        try {
            channel.readTimeout(settings.handshakeTimeout());
            channel.maxIncomingFrame(HANDSHAKE_MAX_FRAME);
            handshake();
            channel.maxIncomingFrame(settings.limits().maxFrameLength());
            channel.readTimeout(settings.readTimeout());
            MDC.put("folder", folder);
            log.debug("session open peer={} folder={}", channel.peer(), folder);
            chunkBuffers = new ChunkBufferPool((int) Math.max(2, INBOX_BYTES / settings.limits().maxChunkLength()),
                    settings.limits().maxChunkLength());
            channel.chunkBuffers(chunkBuffers);
            commits = new CommitGroup(settings.fsync());
            inbox = new SessionInbox(channel, chunkBuffers);
            durable = new DurableAcks("ferry-durable-" + channel.peer(), inbox::wake);
            inbox.start("ferry-read-" + channel.peer());
            serve();
        } catch (PeerClosedException e) {
            if (e.midFrame()) { // the sender died or the link dropped while it sent: what arrived is kept
                log.info("connection to peer={} lost mid-frame ({}); partial files kept for a resume", channel.peer(), e.getMessage());
            } else {
                log.debug("peer={} closed the connection", channel.peer());
            }
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.AUTH_FAILED) {
                receiver.stats().authFailures.incrementAndGet();
            } else {
                receiver.stats().protocolErrors.incrementAndGet();
            }
            log.warn("dropping peer={} folder={}: {} ({})", channel.peer(), folder, e.getMessage(), e.code());
            trySend(new Frame.Error(e.code(), 0, e.getMessage()));
        } catch (SocketTimeoutException e) {
            log.info("dropping idle peer={} folder={}: no frame for {}", channel.peer(), folder,
                    root == null ? settings.handshakeTimeout() : settings.readTimeout());
            trySend(new Frame.Error(ErrorCode.TIMEOUT, 0, "no frame received for "
                    + (root == null ? settings.handshakeTimeout() : settings.readTimeout())));
        } catch (IOException e) {
            log.info("connection to peer={} lost: {}", channel.peer(), e.toString());
        } catch (RuntimeException e) {
            log.error("internal error serving peer={}", channel.peer(), e);
            trySend(new Frame.Error(ErrorCode.INTERNAL, 0, "internal error: " + e));
        } finally {
            if (inbox != null) {
                inbox.stop();
            }
            if (durable != null) {
                durable.close(); // (waits for the chunks being made durable: the partials below keep them)
            }
            for (IncomingFile f : files.values()) {
                f.abort(true); // the next attempt resumes from what arrived
                receiver.unlock(f.target(), this);
            }
            files.clear();
            MDC.remove("peer");
            MDC.remove("folder");
        }
    }

    private void handshake() throws IOException {
        if (!(channel.read() instanceof Frame.Hello hello)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected HELLO as the first frame");
        }
        if (hello.minVersion() > PROTOCOL_VERSION || hello.maxVersion() < PROTOCOL_VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "client speaks protocol versions " + hello.minVersion()
                    + ".." + hello.maxVersion() + ", this receiver speaks " + PROTOCOL_VERSION + ".." + PROTOCOL_VERSION);
        }
        byte[] serverNonce = new byte[32];
        RANDOM.nextBytes(serverNonce);
        channel.send(new Frame.Challenge(PROTOCOL_VERSION, serverNonce));
        if (!(channel.read() instanceof Frame.Auth auth)) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "expected AUTH after CHALLENGE");
        }
        if (!Proof.verify(settings.token(), hello.clientNonce(), serverNonce, hello.folder(), auth.proof())) {
            throw new ProtocolException(ErrorCode.AUTH_FAILED, "authentication failed: the token does not match");
        }
        Path dir = settings.folders().get(hello.folder());
        if (dir == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_FOLDER, "no folder named '" + SafePaths.printable(hello.folder())
                    + "' on this receiver");
        }
        folder = hello.folder();
        root = dir.toRealPath();
        receiver.tidy(folder, root);
        partialDir = root.resolve(SafePaths.STATE_DIR).resolve("partial");
        channel.send(new Frame.Welcome(settings.limits().maxChunkLength(), settings.maxFileSize()));
        receiver.stats().connectionsAccepted.incrementAndGet();
    }

    /** The next frame; while none is queued, what waits goes out (ACKs, commits) and the channel is flushed. */
    private Frame next() throws IOException {
        while (true) {
            drainDurable();
            Frame f = inbox.poll();
            if (f == null) {
                flushAcks();
                flushCommits();
                channel.flush(); // nothing queued: the sender may be waiting for our answers
                unflushed = 0;
                f = inbox.take(); // (null: woken by a durable batch, whose ACKs go out first)
            }
            if (f != null) {
                return f;
            }
        }
    }

    private void serve() throws IOException {
        while (true) {
            Frame frame = next();
            switch (frame) {
                case Frame.Offer o -> onOffer(o);
                case Frame.Hashes h -> onHashes(h);
                case Frame.Chunk c -> {
                    try {
                        onChunk(c);
                    } finally {
                        chunkBuffers.give(c.data());
                    }
                }
                case Frame.Commit c -> onCommit(c);
                case Frame.Ping p -> channel.write(new Frame.Pong(p.value()));
                case Frame.Bye b -> {
                    flushCommits();
                    channel.flush();
                    return;
                }
                case Frame.Pong p -> {
                }
                case Frame.Hello h -> throw unexpected(h);
                case Frame.Challenge c -> throw unexpected(c);
                case Frame.Auth a -> throw unexpected(a);
                case Frame.Welcome w -> throw unexpected(w);
                case Frame.Error e -> onSenderError(e);
                case Frame.ListRequest l -> onList(l);
                case Frame.Delete d -> treeOp(d.opId(), () -> TreeOps.delete(root, d.path(), settings.trashOn()),
                        (settings.trashOn() ? "moved to trash " : "deleted ") + d.path());
                case Frame.Rename r -> treeOp(r.opId(), () -> TreeOps.rename(root, r.from(), r.to(), settings.trashOn()),
                        "renamed " + r.from() + " -> " + r.to());
                case Frame.Symlink l -> treeOp(l.opId(), () -> TreeOps.symlink(root, l), "symlink " + l.path() + " -> " + l.target());
                case Frame.Listing l -> throw unexpected(l);
                case Frame.Need n -> throw unexpected(n);
                case Frame.Ack a -> throw unexpected(a);
                case Frame.Nack n -> throw unexpected(n);
                case Frame.Done d -> throw unexpected(d);
            }
            // Answers go out in small batches (and at once when the inbox runs dry, see next())
            if (++unflushed >= FLUSH_EVERY) {
                channel.flush();
                unflushed = 0;
            }
        }
    }

    private static ProtocolException unexpected(Frame f) {
        return new ProtocolException(ErrorCode.PROTOCOL, "unexpected " + f.getClass().getSimpleName().toUpperCase() + " from a sender");
    }

    private void onOffer(Frame.Offer o) throws IOException {
        if (files.containsKey(o.fileId()) || failed.contains(o.fileId())) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "OFFER reuses fileId=" + o.fileId());
        }
        try {
            Path target = SafePaths.resolve(root, o.path());
            if (o.kind() == EntryKind.DIRECTORY) {
                DirectoryEntries.apply(root, target, o);
                channel.write(new Frame.Done(o.fileId()));
                return;
            }
            if (o.size() > settings.maxFileSize()) {
                throw new FileFailure(ErrorCode.TOO_LARGE, "'" + SafePaths.printable(o.path()) + "' is " + o.size()
                        + " bytes, this receiver accepts at most " + settings.maxFileSize());
            }
            if (!receiver.tryLock(target, this)) {
                throw new FileFailure(ErrorCode.BUSY, "'" + SafePaths.printable(o.path()) + "' is being written by another connection");
            }
            Path partial = partialDir.resolve(partialName(o.path()));
            IncomingFile file = new IncomingFile(o, root, target, partial, digester(o.algorithm()), settings.fsync(),
                    settings.trashOn());
            file.heartbeat(this::heartbeat);
            files.put(o.fileId(), file);
            if (o.inline()) {
                file.planInline(partialDir); // its chunks and COMMIT are on their way: no NEED
            } else if (o.streamed()) {
                List<Frame.Range> all = file.startStreamed(partialDir);
                receiver.stats().chunksResumed.addAndGet(file.resumedChunks());
                if (all == null) {
                    channel.write(Frame.Need.hashesFirst(o.fileId()));
                } else {
                    sendNeed(o.fileId(), all, false);
                }
            } else if (file.hashesComplete()) {
                plan(file);
            }
        } catch (BadPathException e) {
            receiver.stats().pathsRefused.incrementAndGet();
            fail(o.fileId(), new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            fail(o.fileId(), e);
        }
    }

    private void onHashes(Frame.Hashes h) throws IOException {
        IncomingFile file = files.get(h.fileId());
        if (file == null) {
            if (failed.contains(h.fileId())) {
                return;
            }
            throw new ProtocolException(ErrorCode.PROTOCOL, "HASHES for unknown fileId=" + h.fileId());
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
        List<Frame.Range> ranges = file.plan(partialDir);
        receiver.stats().chunksReused.addAndGet(file.reusedChunks());
        receiver.stats().chunksResumed.addAndGet(file.resumedChunks());
        sendNeed(file.offer().fileId(), ranges, file.identical());
    }

    /** NEED in frames of at most MAX_RANGES_PER_FRAME ranges. */
    private void sendNeed(int id, List<Frame.Range> ranges, boolean identical) throws IOException {
        int max = dev.ferry.wire.FrameCodec.MAX_RANGES_PER_FRAME;
        for (int from = 0; from < ranges.size(); from += max) {
            int to = Math.min(ranges.size(), from + max);
            channel.write(new Frame.Need(id, ranges.subList(from, to), to < ranges.size(), false));
        }
        if (ranges.isEmpty()) {
            channel.write(new Frame.Need(id, List.of(), false, identical));
        }
    }

    private void onChunk(Frame.Chunk c) throws IOException {
        IncomingFile file = files.get(c.fileId());
        if (file == null) {
            if (failed.contains(c.fileId())) {
                return; // in flight when the file failed
            }
            throw new ProtocolException(ErrorCode.PROTOCOL, "CHUNK for unknown fileId=" + c.fileId());
        }
        try {
            ErrorCode refused = file.accept(c, crc);
            if (refused == null) {
                receiver.stats().chunksReceived.incrementAndGet();
                receiver.stats().chunkBytesWritten.addAndGet(c.length());
                if (file.resumable()) { // (even a re-sent chunk: its ACK follows the batch that makes it durable)
                    pendingAcks.add(new Frame.Ack(c.fileId(), c.index()));
                    pendingAckBytes += c.length();
                    if (pendingAckBytes >= ACK_EVERY_BYTES) {
                        flushAcks();
                    }
                } else {
                    channel.write(new Frame.Ack(c.fileId(), c.index()));
                }
                if (log.isDebugEnabled()) {
                    log.debug("chunk ok path={} index={} length={}", SafePaths.printable(file.offer().path()), c.index(), c.length());
                }
                if (file.deferredCommit() != null && file.complete()) {
                    commit(c.fileId(), file, file.deferredCommit()); // the re-sent chunk an inline COMMIT waited for
                }
            } else {
                (refused == ErrorCode.CRC_MISMATCH ? receiver.stats().crcMismatches : receiver.stats().hashMismatches).incrementAndGet();
                log.warn("chunk refused path={} index={} reason={}", SafePaths.printable(file.offer().path()), c.index(), refused);
                channel.write(new Frame.Nack(c.fileId(), c.index(), refused));
            }
        } catch (FileFailure e) {
            fileFailed(c.fileId(), e);
        }
    }

    /** Hands the pending ACKs, and the chunks they wait for, to {@link #durable}; they go out once durable. */
    private void flushAcks() {
        if (pendingAcks.isEmpty()) {
            return;
        }
        List<Frame.Ack> acks = List.copyOf(pendingAcks);
        pendingAcks.clear();
        pendingAckBytes = 0;
        List<PartialFile.Pending> work = new ArrayList<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Frame.Ack a : acks) {
            IncomingFile file = files.get(a.fileId());
            if (file != null && seen.add(a.fileId())) {
                PartialFile.Pending p = file.takeNotDurable();
                if (p != null) {
                    work.add(p);
                }
            }
        }
        durable.submit(new DurableAcks.Batch(acks, work));
    }

    /** ACKs whose chunks are durable now go out; files that could not be made durable fail. */
    private void drainDurable() throws IOException {
        if (durable == null) {
            return;
        }
        for (DurableAcks.Result r; (r = durable.poll()) != null; ) {
            for (Frame.Ack a : r.acks()) {
                if (files.containsKey(a.fileId())) { // (not failed or abandoned meanwhile)
                    channel.write(a);
                }
            }
            for (Map.Entry<Integer, FileFailure> f : r.failures().entrySet()) {
                if (files.containsKey(f.getKey())) {
                    fail(f.getKey(), f.getValue());
                }
            }
        }
    }

    /** Before a file is committed, closed or dropped: nothing of it is being made durable any more. */
    private void settleDurable() throws IOException {
        if (durable != null) {
            durable.awaitIdle();
            drainDurable();
        }
    }

    /**
     * Step 1 of the commit now; steps 2 and 3 when the inbox runs dry or the group is full ({@link #flushCommits}),
     * so that a burst of small files shares its fsyncs.
     */
    private void onCommit(Frame.Commit c) throws IOException {
        IncomingFile file = files.get(c.fileId());
        if (file == null) {
            if (failed.contains(c.fileId())) {
                return;
            }
            throw new ProtocolException(ErrorCode.PROTOCOL, "COMMIT for unknown fileId=" + c.fileId());
        }
        flushAcks(); // (a sender waits for every ACK before COMMIT; this only matters for one that does not)
        settleDurable();
        if (files.get(c.fileId()) != file) {
            return; // it failed while its chunks were made durable: the ERROR has gone out
        }
        if (file.offer().inline() && !file.complete()) {
            file.deferCommit(c.fileHash()); // an inline chunk was refused and is being sent again: commit after it
            return;
        }
        commit(c.fileId(), file, c.fileHash());
    }

    private void commit(int fileId, IncomingFile file, byte[] fileHash) throws IOException {
        try {
            if (!file.verifyForCommit(fileHash)) {
                done(fileId, file, fileHash); // the final path already held this file
                return;
            }
            if (commits.add(new CommitGroup.Pending(fileId, file, fileHash))) {
                flushCommits();
            }
        } catch (FileFailure e) {
            fileFailed(fileId, e);
        }
    }

    /** Steps 2 and 3 of the waiting commits ({@link CommitGroup}), then DONE or ERROR for each. */
    private void flushCommits() throws IOException {
        // (a file the sender abandoned, or that failed, meanwhile is gone from files)
        commits.flush(p -> files.get(p.fileId()) == p.file(), new CommitGroup.Outcome() {
            @Override
            public void committed(CommitGroup.Pending p) throws IOException {
                done(p.fileId(), p.file(), p.fileHash());
            }

            @Override
            public void failed(CommitGroup.Pending p, FileFailure f) throws IOException {
                fail(p.fileId(), f);
            }
        });
    }

    private void done(int fileId, IncomingFile file, byte[] committedHash) throws IOException {
        files.remove(fileId);
        receiver.unlock(file.target(), this);
        Frame.Offer o = file.offer();
        if (file.identical()) {
            receiver.stats().filesUnchanged.incrementAndGet();
            log.debug("unchanged path={} size={}", SafePaths.printable(o.path()), o.size());
        } else {
            receiver.stats().filesCommitted.incrementAndGet();
            log.info("committed path={} size={} chunks={} reused={} resumed={} {}={}", SafePaths.printable(o.path()), o.size(),
                    o.chunkCount(), file.reusedChunks(), file.resumedChunks(), o.algorithm().displayName(),
                    HexFormat.of().formatHex(o.streamed() ? committedHash : o.fileHash()));
        }
        channel.write(new Frame.Done(fileId));
    }

    private interface TreeOp {
        void run() throws BadPathException, FileFailure;
    }

    /** DELETE, RENAME, SYMLINK: do it, answer DONE or a file-level ERROR with the operation's id. */
    private void treeOp(int opId, TreeOp op, String what) throws IOException {
        try {
            op.run();
            log.info("{}", SafePaths.printable(what));
            channel.write(new Frame.Done(opId));
        } catch (BadPathException e) {
            receiver.stats().pathsRefused.incrementAndGet();
            fail(opId, new FileFailure(ErrorCode.BAD_PATH, "refused path: " + e.getMessage()));
        } catch (FileFailure e) {
            fail(opId, e);
        }
    }

    private void onList(Frame.ListRequest l) throws IOException {
        try {
            TreeOps.list(root, l.subtree(), l.requestId(), listing -> {
                try {
                    channel.write(listing);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (BadPathException e) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "LIST of a bad path: " + e.getMessage());
        }
    }

    /** The sender gave a file up (its source changed or became unreadable): drop the partial, answer nothing. */
    private void onSenderError(Frame.Error e) throws IOException {
        if (e.session()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "sender ended the session: " + e.message() + " (" + e.code() + ")");
        }
        settleDurable();
        IncomingFile file = files.remove(e.fileId());
        if (file != null) {
            file.abort(true); // chunks the next version shares are reused
            receiver.unlock(file.target(), this);
            failed.add(e.fileId());
            log.info("sender abandoned path={}: {}", SafePaths.printable(file.offer().path()), e.message());
        }
    }

    /** A file-level failure, unless it is a protocol violation: that ends the session. */
    private void fileFailed(int fileId, FileFailure e) throws IOException {
        if (e.code() == ErrorCode.PROTOCOL) {
            throw new ProtocolException(ErrorCode.PROTOCOL, e.getMessage());
        }
        fail(fileId, e);
    }

    private void fail(int fileId, FileFailure e) throws IOException {
        if (durable != null) {
            durable.awaitIdle(); // (its result for this file, if any, finds the file gone)
        }
        IncomingFile file = files.remove(fileId);
        if (file != null) {
            // a full disk or a permission problem keeps what arrived, for when it is fixed; bad content does not
            file.abort(e.code() != ErrorCode.HASH_MISMATCH && e.code() != ErrorCode.PROTOCOL);
            receiver.unlock(file.target(), this);
        }
        failed.add(fileId);
        if (failed.size() > MAX_REMEMBERED_FAILURES) {
            failed.removeFirst();
        }
        receiver.stats().filesFailed.incrementAndGet();
        log.warn("file failed id={} code={}: {}", fileId, e.code(), e.getMessage());
        channel.write(new Frame.Error(e.code(), fileId, e.getMessage()));
    }

    private ChunkDigester digester(HashAlgorithm algorithm) {
        return digesters.computeIfAbsent(algorithm, ChunkDigester::of);
    }

    /** Partial files are named after the path (not random) so that a later attempt finds them again. */
    static String partialName(String relativePath) {
        byte[] h = ChunkDigester.of(HashAlgorithm.XXH3_128).digest(relativePath.getBytes(StandardCharsets.UTF_8), 0,
                relativePath.getBytes(StandardCharsets.UTF_8).length);
        return HexFormat.of().formatHex(h) + ".part";
    }

    private long lastBeatNs = System.nanoTime();

    /**
     * While this thread is busy with local work for one file (hashing a big file already at the final path can
     * take minutes), a PING every few seconds tells the sender we are alive: its watchdog closes a session whose
     * receiver stays silent for its read timeout.
     */
    private void heartbeat() throws IOException {
        long now = System.nanoTime();
        if (now - lastBeatNs >= HEARTBEAT_NS) {
            lastBeatNs = now;
            channel.send(new Frame.Ping(now));
        }
    }

    private static final long HEARTBEAT_NS = java.time.Duration.ofSeconds(5).toNanos();

    private void trySend(Frame f) {
        try {
            channel.send(f);
        } catch (IOException | RuntimeException ignored) {
            // the peer may already be gone; the close that follows is what matters
        }
    }
}
