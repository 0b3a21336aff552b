package dev.ferry.receive;

import dev.ferry.auth.PeerId;
import dev.ferry.disk.Beneath;
import dev.ferry.logging.Human;
import dev.ferry.wire.ChunkBufferPool;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.HandshakeFrame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.PeerClosedException;
import dev.ferry.wire.Protocol;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One accepted connection, start to end, on its own virtual thread: the {@link ReceiverHandshake}, then frames
 * until BYE or disconnect, each handed to the part whose job it is ({@link FileFrameHandler} for files, {@link
 * TreeOpHandler} for LIST/DELETE/RENAME/SYMLINK). All state here belongs to that thread; the only shared things are
 * in {@link ReceiverShared}. A second virtual thread only reads frames from the socket into an inbox (CHUNK
 * payloads into a small pool of buffers), so that receiving the next chunk overlaps verifying and writing this one;
 * when the pool is exhausted it stops reading and TCP pushes back on the sender.
 *
 * <p>A file-level failure (bad path, disk full, hash mismatch) answers ERROR with that file's id and the session
 * goes on; a protocol violation answers ERROR with file id 0 and ends the session. When the session ends with
 * files unfinished (or the sender gives one up, or the disk fails), their partial files and sidecars stay for the
 * next attempt to resume from ({@link PartialFile}); only bad content (a hash mismatch) discards one.
 */
final class ReceiverSession {
    private static final Logger log = LoggerFactory.getLogger(ReceiverSession.class);
    private static final int FLUSH_EVERY = 4;
    /** Chunk bytes one connection may hold between its reader and its writer. */
    private static final long INBOX_BYTES = 8L << 20;
    /** HELLO and AUTH are well under 1 KiB; nothing bigger is read from a peer that has not authenticated. */
    static final int HANDSHAKE_MAX_FRAME = 4096;

    private final ReceiverShared shared;
    private final ReceiverSettings settings;
    private final FrameChannel channel;
    private final SessionReport report;
    /** The ID the peer proved in the TLS handshake; null over plaintext. */
    private final PeerId peerId;
    private ReceiverHandshake.Accepted accepted;
    private SessionInbox inbox;
    private ChunkBufferPool chunkBuffers;
    private FileFrameHandler files;
    private CommitGroup commits;
    private TreeOpHandler treeOps;
    private JoinedStreams joins;
    private SessionTally tally;
    /** The folder's root, held open for the session: every file operation is resolved beneath it. */
    private Beneath folderRoot;
    private int unflushed;

    /**
     * @param report where the session tells the receiver its folder and files, for the receiver's status
     * @param peerId the ID the peer proved in the TLS handshake; null over plaintext
     */
    ReceiverSession(FrameChannel channel, ReceiverShared shared, SessionReport report, PeerId peerId) {
        this.shared = shared;
        this.peerId = peerId;
        this.report = report;
        this.settings = shared.settings();
        this.channel = channel;
    }

    /** Runs the session to its end; never throws. */
    void run() {
        MDC.put("peer", channel.peer());
        try {
            channel.readTimeout(settings.handshakeTimeout());
            channel.readDeadline(settings.handshakeTimeout()); // the whole handshake, not each read: no slowloris
            channel.maxIncomingFrame(HANDSHAKE_MAX_FRAME);
            accepted = ReceiverHandshake.run(channel, settings, peerId, shared.tidier(), shared.authFailures(), folder -> {
                shared.stats().connectionsAccepted.incrementAndGet();
                report.authenticated(folder, peerId == null ? null : peerId.toString());
            });
            channel.maxIncomingFrame(settings.limits().maxFrameLength());
            channel.readDeadline(null);
            channel.readTimeout(settings.readTimeout());
            MDC.put("folder", accepted.folder());
            log.debug("session open peer={} id={} folder={}", channel.peer(), peerId == null ? "-" : peerId,
                    accepted.folder());
            chunkBuffers = new ChunkBufferPool((int) Math.max(2, INBOX_BYTES / settings.limits().maxChunkLength()),
                    settings.limits().maxChunkLength());
            channel.chunkBuffers(chunkBuffers);
            inbox = new SessionInbox(channel, chunkBuffers);
            WriteOptions options = new WriteOptions(settings.fsync(), settings.trashOn(), shared.clock(),
                    shared.chunkIndexes().of(accepted.root()));
            tally = new SessionTally(accepted.folder(), channel.peer(), shared.clock());
            folderRoot = Beneath.openCachingDirectories(accepted.root(), shared.clock()::nanoTime);
            SessionFiles ids = new SessionFiles(shared.hashBudget());
            String who = peerIdentity();
            commits = new CommitGroup(options.fsync(), shared.clock());
            files = new FileFrameHandler(channel, shared, folderRoot, accepted.folder(), tally, options, commits, inbox::wake,
                    report, ids, who);
            joins = new JoinedStreams(channel, shared, accepted.folder(), who, ids, inbox::wake);
            treeOps = new TreeOpHandler(folderRoot, accepted.folder(), tally, options.trashClock(), shared.stats(),
                    channel, files::fail);
            inbox.start("ferry-read-" + channel.peer());
            serve();
        } catch (PeerClosedException e) {
            if (e.midFrame() && accepted != null) { // the sender died or the link dropped while it sent: what arrived is kept
                log.info("connection to peer={} lost mid-frame ({}); partial files kept for a resume", channel.peer(), e.getMessage());
            } else {
                log.debug("peer={} closed the connection", channel.peer());
            }
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.AUTH_FAILED) { // (AuthFailures said so, once per peer and folder)
                shared.stats().authFailures.incrementAndGet();
                log.debug("dropping peer={}: {}", channel.peer(), e.getMessage());
            } else if (e.code() == ErrorCode.UNAVAILABLE) { // (no session permit left: counted as rejected)
                log.info("dropping peer={}: {}", channel.peer(), e.getMessage());
            } else {
                shared.stats().protocolErrors.incrementAndGet();
                log.warn("dropping peer={} folder={}: {} ({})", channel.peer(), folder(), e.getMessage(), e.code());
            }
            trySend(new Frame.Error(e.code(), 0, e.getMessage()));
        } catch (SocketTimeoutException e) {
            if (accepted == null) { // (a slow or silent peer before authentication: DEBUG, a flood of them is no news)
                log.debug("dropping peer={}: no handshake within {}", channel.peer(), Human.duration(settings.handshakeTimeout()));
                trySend(new Frame.Error(ErrorCode.TIMEOUT, 0, "handshake not completed within "
                        + Human.duration(settings.handshakeTimeout())));
            } else {
                log.info("dropping idle peer={} folder={}: no frame for {}", channel.peer(), folder(),
                        Human.duration(settings.readTimeout()));
                trySend(new Frame.Error(ErrorCode.TIMEOUT, 0, "no frame received for " + Human.duration(settings.readTimeout())));
            }
        } catch (IOException e) {
            if (accepted == null) { // (closed by the receiver's handshake gate, or a peer gone before it said who it is)
                log.debug("connection to peer={} lost in the handshake: {}", channel.peer(), e.toString());
            } else {
                log.info("connection to peer={} lost: {}", channel.peer(), e.toString());
            }
        } catch (RuntimeException e) {
            log.error("internal error serving peer={}", channel.peer(), e);
            trySend(new Frame.Error(ErrorCode.INTERNAL, 0, "internal error: " + e));
        } finally {
            if (inbox != null) {
                inbox.stop();
            }
            if (joins != null) {
                joins.close(); // (before the files: their shared partials take what is being made durable)
            }
            if (files != null) {
                files.close(); // (waits for the chunks being made durable: the partials keep them)
            }
            if (tally != null) {
                tally.close();
            }
            if (folderRoot != null) {
                folderRoot.close(); // (after the files: their commits and discards use it)
            }
            MDC.remove("peer");
            MDC.remove("folder");
        }
    }

    /**
     * Who the peer is, as far as shared files go: the ID it proved over TLS; over plaintext (a token proves the
     * folder, not the peer) its address, so that a JOIN comes from the same host as the file's OFFER.
     */
    private String peerIdentity() {
        if (peerId != null) {
            return "ID " + peerId;
        }
        String address = channel.peer();
        int colon = address.lastIndexOf(':');
        return "address " + (colon < 0 ? address : address.substring(0, colon));
    }

    private boolean streamsAgreed(Frame f) throws ProtocolException {
        if ((accepted.features() & Protocol.FEATURE_STREAMS) == 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, f.getClass().getSimpleName().toUpperCase()
                    + " on a session that did not agree on parallel streams");
        }
        return true;
    }

    private String folder() {
        return accepted == null ? "?" : accepted.folder();
    }

    /** The next frame; while none is queued, what waits goes out (ACKs, commits) and the channel is flushed. */
    private Frame next() throws IOException {
        while (true) {
            files.releaseDurableAcks();
            joins.releaseDurableAcks();
            Frame f = inbox.poll();
            if (f == null) {
                files.flushAcks();
                joins.flushAcks();
                if (commits.worthGathering() && (f = inbox.poll(CommitGroup.GATHER)) != null) {
                    return f; // (a burst goes on: its files join the group)
                }
                files.flushCommits();
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
                case Frame.Offer o -> files.offer(o);
                case Frame.Share sh when streamsAgreed(sh) -> files.share(sh);
                case Frame.Join j when streamsAgreed(j) -> joins.join(j);
                case Frame.Hashes h when joins.owns(h.fileId()) -> joins.hashes(h);
                case Frame.Hashes h -> files.hashes(h);
                case Frame.Chunk c -> {
                    try {
                        if (joins.owns(c.fileId())) {
                            joins.chunk(c);
                        } else {
                            files.chunk(c);
                        }
                    } finally {
                        chunkBuffers.give(c.data());
                    }
                }
                case Frame.Commit c when joins.owns(c.fileId()) -> joins.commit(c);
                case Frame.Commit c -> files.commit(c);
                case Frame.Error e when joins.owns(e.fileId()) -> joins.senderError(e);
                case Frame.Error e -> files.senderError(e);
                case Frame.ListRequest l -> treeOps.list(l);
                case Frame.Delete d -> treeOps.delete(d);
                case Frame.Rename r -> treeOps.rename(r);
                case Frame.Symlink l -> treeOps.symlink(l);
                case Frame.Ping p -> channel.write(new Frame.Pong(p.value()));
                case Frame.Pong p -> {
                }
                case Frame.Bye b -> {
                    files.flushCommits();
                    channel.flush();
                    return;
                }
                case Frame.Share sh -> throw unexpected(sh); // (not reached: streamsAgreed throws)
                case Frame.Join j -> throw unexpected(j);
                case HandshakeFrame.Hello h -> throw unexpected(h);
                case HandshakeFrame.Challenge c -> throw unexpected(c);
                case HandshakeFrame.Auth a -> throw unexpected(a);
                case HandshakeFrame.Welcome w -> throw unexpected(w);
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

    private void trySend(Frame f) {
        try {
            channel.send(f);
        } catch (IOException | RuntimeException ignored) {
            // the peer may already be gone; the close that follows is what matters
        }
    }
}
