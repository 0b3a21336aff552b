package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.time.Duration;

/**
 * One plan carried out on an open session, made fresh for each plan: tree operations first, then files as the
 * hasher prepares them (at most {@code maxFilesInFlight} ahead), chunks ({@link ChunkSender}) while the
 * {@link ChunkWindow} has room, directories last. The session's writer thread runs it and owns its state; the
 * hasher thread ({@link #prepareAll}) and the reader feed it through the session's event queue.
 */
final class PlanRun {
    private final SessionParts parts;
    private final PushSettings settings;
    private final PushPlan plan;
    private final FrameOut out;
    private final PlanTally tally = new PlanTally();
    private final TreeEditSender treeOps = new TreeEditSender();
    private final ChunkWindow window;
    private final InFlightFiles files;
    private final ChunkSender chunks;
    private final Striping striping;
    private Thread hasher;
    private boolean preparedAll;

    /** @param crew the target's other connections, for stripes of big files ({@link StripeCrew#NONE}: none) */
    PlanRun(SessionParts parts, PushPlan plan, StripeCrew crew) {
        this.parts = parts;
        this.settings = parts.settings();
        this.plan = plan;
        this.out = parts.link().out();
        this.window = new ChunkWindow(settings.maxBytesInFlight(), settings.resendBackoff(), parts.clock());
        this.files = new InFlightFiles(settings, parts.digests(), parts.listener(), out, window, tally);
        this.chunks = new ChunkSender(settings, parts.chunks(), parts.listener(), out, window, files, tally);
        this.striping = new Striping(crew, parts, files, window, tally);
    }

    /** Carries the plan out; returns when all of it is done or failed, with what it did. */
    PushResult run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        treeOps.send(plan.ops(), parts.ids(), out);
        if (fewSmallFiles()) {
            prepareAll(); // read here: a hand-over to a hasher thread would cost more than the reads
        } else {
            hasher = settings.threads().start("ferry-push-hasher", this::prepareAll);
        }
        loop();
        for (SourceEntry dir : plan.directories()) { // last, deepest first, once no file is in flight: their mtime sticks
            offer(new Offer.Directory(dir));
        }
        preparedAll = true;
        loop();
        out.flush();
        return tally.result(plan, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The plan ended (done or not): the sources it read are closed. */
    void closeSources() {
        for (OutgoingFile f : files.all()) {
            f.closeSource();
        }
    }

    /** The plan ended: its hasher thread stops. */
    void stopHasher() {
        if (hasher != null) {
            hasher.interrupt();
        }
        SessionThreads.joinQuietly(hasher);
    }

    /** A plan the writer thread prepares itself (a daemon's typical plan: one file just written). */
    private boolean fewSmallFiles() {
        return plan.files().size() <= Math.min(4, settings.maxFilesInFlight())
                && plan.files().stream().allMatch(f -> parts.preparer().inline(f.size()));
    }

    /** Prepares files in order ({@link FilePreparer}), each once a file slot is free. */
    private void prepareAll() {
        try {
            for (SourceEntry listed : plan.files()) {
                files.takeSlot();
                try {
                    parts.events().add(new SessionEvent.Prepared(
                            parts.preparer().prepare(listed, plan.knownDigests().get(listed.local()),
                                    !plan.sameSizeThere().contains(listed.remotePath()))));
                } catch (IOException e) {
                    files.giveSlot();
                    parts.events().add(new SessionEvent.PrepareFailed(listed, "cannot read: " + e.getMessage()));
                }
            }
            parts.events().add(new SessionEvent.PreparedAll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs until every file and tree operation is DONE or failed. */
    private void loop() throws IOException, InterruptedException {
        while (!(preparedAll && files.isEmpty() && treeOps.allAnswered())) {
            SessionEvent e = parts.events().poll();
            if (e != null) {
                handle(e);
                continue;
            }
            window.releaseDueResends(files::contains);
            OutgoingFile next = window.next();
            if (next != null) {
                chunks.send(next);
                continue;
            }
            e = parts.nextEvent(out, window.waitNs(settings.keepAlive().toNanos()));
            if (e != null) {
                handle(e);
            }
        }
    }

    private void handle(SessionEvent e) throws IOException {
        switch (e) {
            case SessionEvent.Arrived a -> onFrame(a.frame());
            // (the same words as a failed write: which side of the socket notices a reset first is a race)
            case SessionEvent.ReadFailed r -> throw new PushException("connection to " + parts.link().target() + " failed: "
                    + r.error().getMessage(), r.error());
            case SessionEvent.Prepared p -> offer(Offer.of(p.file()));
            case SessionEvent.FullyHashed h -> onFullyHashed(h);
            case SessionEvent.PrepareFailed p -> tally.failed(p.entry().remotePath(), p.reason());
            case SessionEvent.PreparedAll p -> preparedAll = true;
            case SessionEvent.StripeEnded s -> striping.ended(s.result());
        }
    }

    private void offer(Offer offer) throws IOException {
        int id = parts.ids().getAsInt();
        OutgoingFile file = offer.file(id, settings);
        files.add(file);
        if (offer instanceof Offer.Streamed) {
            hashAhead(file);
        }
        SourceEntry entry = offer.entry();
        if (!entry.directory()) {
            FileDigest digest = file.digest();
            listener().started(entry, settings.chunkSize(), offer.chunkCount(settings.chunkSize()),
                    digest == null ? new byte[0] : digest.fileHash());
        }
        striping.share(offer, file, out);
        out.write(offer.frame(id, settings, out));
        switch (offer) {
            case Offer.Hashed h -> h.writeRest(id, settings, out);
            case Offer.Inline i -> {
                while (file.hasChunkToSend()) {
                    chunks.send(file);
                }
                out.write(new Frame.Commit(id, new byte[0]));
            }
            case Offer.Streamed s -> {
            }
            case Offer.Directory d -> {
            }
        }
    }

    /**
     * Streamed file: hashes it whole on a thread of its own, ahead of its chunks ({@link HashAhead}); the list
     * arrives as {@link SessionEvent.FullyHashed}, and goes into the digest cache if the file held still meanwhile.
     */
    private void hashAhead(OutgoingFile f) {
        HashAhead ahead = new HashAhead(f.entry, settings.algorithm(), settings.chunkSize(),
                Runtime.getRuntime().availableProcessors());
        f.stream().ahead(ahead);
        ahead.start(settings.threads(), parts.hashAheadSlot(), parts.digests(),
                (digest, error) -> parts.events().add(new SessionEvent.FullyHashed(f.id, digest, error)));
    }

    private void onFullyHashed(SessionEvent.FullyHashed h) throws IOException {
        OutgoingFile f = files.get(h.fileId());
        if (f == null || f.committing()) {
            return;
        }
        if (h.error() instanceof HashAhead.Changed) {
            files.abandonChanged(f, "source changed while it was pushed");
            return;
        }
        if (h.error() != null) {
            files.abandon(f, "cannot read: " + h.error().getMessage());
            return;
        }
        StreamedHashes stream = f.stream();
        int mismatch = stream.firstMismatch(h.digest());
        if (mismatch >= 0) {
            files.abandonChanged(f, "source changed while it was pushed (chunk " + mismatch + " differs from when it was first read)");
            return;
        }
        stream.digest(h.digest());
        if (stream.listWanted()) {
            stream.listSent(true);
            Offer.writeHashes(out, settings, f.id, h.digest().chunkHashes(), 0, h.digest().chunkCount());
        }
        if (stream.keptHashesPending()) {
            stream.keptHashesPending(false);
            if (f.needComplete() && (f.neededCount() == 0 || f.allAcked())) {
                files.commit(f);
            }
        }
    }

    private void onFrame(Frame frame) throws IOException {
        switch (frame) {
            case Frame.Need n -> onNeed(n);
            case Frame.Ack a -> chunks.acked(a);
            case Frame.Nack n -> chunks.refused(n);
            case Frame.Done d when treeOps.awaits(d.fileId()) -> {
                tally.treeOpDone(treeOps.answered(d.fileId()));
            }
            case Frame.Error err when treeOps.awaits(err.fileId()) -> {
                PushPlan.TreeEdit op = treeOps.answered(err.fileId());
                tally.failed(op.path(), err.message() + " (" + err.code() + ")");
            }
            case Frame.Done d -> files.done(d);
            case Frame.Error err when err.session() -> throw PushException.refused(err);
            case Frame.Error err -> files.failed(err);
            case Frame.Pong p -> {
            }
            case Frame.Ping p -> out.write(new Frame.Pong(p.value()));
            default -> throw new PushException("unexpected frame from the receiver: " + frame);
        }
    }

    /**
     * A NEED asks only for chunks the file has, and (with the NEEDs before it) for each at most once: a receiver
     * asking for more is broken or hostile, and the sender would otherwise queue what it asks without bound.
     */
    private static void checkNeed(Frame.Need n, OutgoingFile f, int count) throws PushException {
        long asked = f.neededCount();
        for (Frame.Range r : n.ranges()) {
            asked += r.count();
            if (r.start() + (long) r.count() > count || asked > count) {
                throw new PushException("receiver asked for chunks " + r.start() + ".." + (r.start() + (long) r.count() - 1)
                        + " of file id " + f.id + ", which has " + count + " (" + asked + " asked in all)");
            }
        }
    }

    private void onNeed(Frame.Need n) throws IOException {
        OutgoingFile f = files.get(n.fileId());
        if (f == null) {
            return;
        }
        if (n.hashesFirst()) {
            FileDigest digest = f.digest();
            if (digest != null) {
                if (f.streamed()) {
                    f.stream().listSent(true);
                }
                Offer.writeHashes(out, settings, f.id, digest.chunkHashes(), 0, digest.chunkCount());
            } else if (f.streamed()) {
                f.stream().wantList(); // sent when the read-ahead has them all
            }
            return;
        }
        int count = FileDigest.chunkCount(f.size(), settings.chunkSize());
        checkNeed(n, f, count);
        f.addNeed(n);
        if (f.streamed() && f.digest() == null && f.needComplete() && f.neededCount() < count) {
            f.stream().keptHashesPending(true); // resumed: the file hash at COMMIT needs the kept chunks' hashes too
        }
        if (f.needComplete() && f.neededCount() == 0 && !f.keptHashesPending()) {
            files.commit(f);
            return;
        }
        striping.split(f);
        if (f.hasChunkToSend()) {
            window.queue(f);
        }
    }

    private TransferListener listener() {
        return parts.listener();
    }

}
