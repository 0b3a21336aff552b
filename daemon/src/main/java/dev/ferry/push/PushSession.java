package dev.ferry.push;

import dev.ferry.hash.ChunkDigester;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection carrying plans: {@link #open}, then {@link #send} one plan after another (a one-shot push sends
 * one, a daemon target many), then {@link #close}. The calling thread is the writer and the only owner of the
 * session state; two virtual threads feed it through one event queue: the reader (frames from the receiver, for
 * the whole connection) and, per plan, the hasher (files hashed and ready to offer, at most
 * {@code maxFilesInFlight} ahead). Chunks stream out while fewer than {@code maxBytesInFlight} bytes are
 * unacknowledged.
 */
final class PushSession {
    private static final Logger log = LoggerFactory.getLogger(PushSession.class);

    private sealed interface Event {
    }

    private record Arrived(Frame frame) implements Event {
    }

    private record ReadFailed(IOException error) implements Event {
    }

    private record Prepared(FilePreparer.Ready file) implements Event {
    }

    /** The whole hash list of a streamed file, from its {@link HashAhead}. */
    private record FullyHashed(int fileId, FileDigest digest, IOException error) implements Event {
    }

    private record PrepareFailed(SourceEntry entry, String reason) implements Event {
    }

    private record PreparedAll() implements Event {
    }

    private final PushSettings settings;
    private final DigestCache digests;
    private TransferListener listener = TransferListener.NONE;
    private PushPlan listing;
    private final Map<Integer, PushPlan.TreeOp> pendingOps = new HashMap<>();
    private int opsDone;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private Semaphore fileSlots;
    private final Map<Integer, OutgoingFile> inFlight = new HashMap<>();
    private final ArrayDeque<OutgoingFile> sendQueue = new ArrayDeque<>();
    private final java.util.PriorityQueue<Resend> resendAt = new java.util.PriorityQueue<>(
            java.util.Comparator.comparingLong(Resend::dueNs));
    private List<PushResult.Failure> failures = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    /**
     * One file is hashed ahead at a time, in the order they were offered (the order their chunks go out): with many
     * big files in flight, one sequential reader more, not one per file. A file whose turn has not come yet is
     * hashed as it is sent, as before.
     */
    private final Semaphore hashAheadSlot = new Semaphore(1, true);
    private ChunkDigester digester;
    /** Used by one plan's hasher thread at a time (plans run one after another); keeps its buffer between plans. */
    private FilePreparer preparer;
    private PushLink link;
    private FrameChannel channel;
    private volatile boolean broken;
    /** The chunk being sent (direct: read from the file and written to the socket without a copy). */
    private ByteBuffer buffer;
    private int nextId = 1;
    private long unackedBytes;
    private boolean preparedAll;
    private int filesSent;
    private int filesUnchanged;
    private int directories;
    private long chunksSent;
    private long chunksResent;
    private long bytesSent;

    PushSession(PushSettings settings, PushPlan listing) {
        this(settings, listing, DigestCache.NONE);
    }

    PushSession(PushSettings settings, PushPlan listing, DigestCache digests) {
        this.settings = settings;
        this.listing = listing;
        this.digests = digests;
    }

    /** Who hears each file's progress (the daemon's journal); set before {@link #send}. */
    void listener(TransferListener l) {
        this.listener = l;
    }

    /** One-shot: open, carry out the plan given to the constructor, close. */
    PushResult run() throws PushException {
        open();
        try {
            return send(listing);
        } finally {
            close();
        }
    }

    /** Connects, authenticates and starts the reader; the session then takes plans until {@link #close}. */
    void open() throws PushException {
        link = PushLink.open(settings, f -> events.add(new Arrived(f)), e -> events.add(new ReadFailed(e)));
        channel = link.channel();
        buffer = ByteBuffer.allocateDirect(settings.chunkSize());
        digester = ChunkDigester.of(settings.algorithm());
        preparer = new FilePreparer(settings.algorithm(), settings.chunkSize(), settings.inlineMaxBytes(), digests);
    }

    /**
     * Carries out one plan on the open session and returns when all of it is done or failed. After a
     * {@link PushException} the session is broken: close it and open another.
     */
    PushResult send(PushPlan plan) throws PushException {
        if (broken) {
            throw new PushException("session to " + link.target() + " is broken");
        }
        long start = System.nanoTime();
        listing = plan;
        pendingOps.clear();
        failures = new ArrayList<>();
        opsDone = filesSent = filesUnchanged = directories = 0;
        chunksSent = chunksResent = bytesSent = 0;
        unackedBytes = 0;
        preparedAll = false;
        resendAt.clear();
        link.busy(true);
        fileSlots = new Semaphore(settings.maxFilesInFlight());
        Thread hashing = null;
        try {
            sendOps();
            if (fewSmallFiles(plan)) {
                hashLoop(); // read here: a hand-over to a hasher thread would cost more than the reads
            } else {
                hashing = settings.threads().start("ferry-push-hasher", this::hashLoop);
            }
            loop();
            offerDirectories();
            channel.flush();
        } catch (PushException e) {
            broken = true;
            throw e;
        } catch (IOException e) {
            broken = true;
            throw new PushException("connection to " + link.target() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            broken = true;
            Thread.currentThread().interrupt();
            throw new PushException("interrupted");
        } finally {
            for (OutgoingFile f : inFlight.values()) {
                f.closeSource();
            }
            if (broken) {
                inFlight.clear();
                sendQueue.clear();
                link.closeSocket();
            }
            if (hashing != null) {
                hashing.interrupt();
            }
            PushLink.joinQuietly(hashing);
            link.busy(false);
        }
        return new PushResult(filesSent, filesUnchanged, directories, opsDone, chunksSent, chunksResent, bytesSent, failures,
                plan.skipped(), Duration.ofNanos(System.nanoTime() - start));
    }

    /** A plan the writer thread prepares itself (a daemon's typical plan: one file just written). */
    private boolean fewSmallFiles(PushPlan plan) {
        return plan.files().size() <= Math.min(4, settings.maxFilesInFlight())
                && plan.files().stream().allMatch(f -> preparer.inline(f.size()));
    }

    /** Says BYE if the session is healthy, then closes the connection. Never throws. */
    void close() {
        if (link != null) {
            link.close(!broken);
        }
        broken = true;
    }

    /** Tree operations go out first, in order; their DONE/ERROR arrive like a file's. */
    private void sendOps() throws IOException {
        for (PushPlan.TreeOp op : listing.ops()) {
            int id = nextId++;
            pendingOps.put(id, op);
            channel.write(switch (op) {
                case PushPlan.TreeOp.Delete d -> new Frame.Delete(id, d.path());
                case PushPlan.TreeOp.Rename r -> new Frame.Rename(id, r.from(), r.to());
                case PushPlan.TreeOp.Symlink l -> new Frame.Symlink(id, l.path(), l.target(), l.mtimeSeconds(), l.mtimeNanos());
            });
        }
    }

    /**
     * Prepares files in order ({@link FilePreparer}), at most {@code maxFilesInFlight} ahead.
     */
    private void hashLoop() {
        try {
            for (SourceEntry listed : listing.files()) {
                fileSlots.acquire();
                try {
                    events.add(new Prepared(preparer.prepare(listed, listing.knownDigests().get(listed.local()))));
                } catch (IOException e) {
                    fileSlots.release();
                    events.add(new PrepareFailed(listed, "cannot read: " + e.getMessage()));
                }
            }
            events.add(new PreparedAll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs until every file is DONE or failed. */
    private void loop() throws IOException, InterruptedException {
        while (!(preparedAll && inFlight.isEmpty() && pendingOps.isEmpty())) {
            Event e = events.poll();
            if (e != null) {
                handle(e);
                continue;
            }
            releaseDueResends();
            OutgoingFile next = sendQueue.peekFirst();
            if (next != null && unackedBytes < settings.maxBytesInFlight()) {
                sendChunk(next);
                continue;
            }
            channel.flush();
            long waitNs = settings.keepAlive().toNanos();
            if (!resendAt.isEmpty()) {
                waitNs = Math.min(waitNs, Math.max(0, resendAt.peek().dueNs() - System.nanoTime()));
            }
            e = events.poll(waitNs, TimeUnit.NANOSECONDS);
            if (e != null) {
                handle(e);
            } else if (link.silentNs() >= settings.readTimeout().toNanos()) {
                throw new PushException("receiver sent nothing for " + settings.readTimeout());
            } else if (System.nanoTime() - channel.lastWriteNs() >= settings.keepAlive().toNanos()) {
                // nothing to send for a while (e.g. hashing a big file for the receiver): tell it we are alive
                channel.send(new Frame.Ping(System.nanoTime()));
            }
        }
    }

    /** A file whose refused chunk waits out its backoff before it is sent again. */
    private record Resend(long dueNs, OutgoingFile file, int index) {
    }

    private void releaseDueResends() {
        long now = System.nanoTime();
        while (!resendAt.isEmpty() && resendAt.peek().dueNs() <= now) {
            Resend r = resendAt.poll();
            OutgoingFile f = r.file();
            if (inFlight.containsKey(f.id)) {
                f.resendLater(r.index());
                if (!sendQueue.contains(f)) {
                    sendQueue.addFirst(f);
                }
            }
        }
    }

    private void handle(Event e) throws IOException {
        switch (e) {
            case Arrived a -> onFrame(a.frame());
            // (the same words as a failed write: which side of the socket notices a reset first is a race)
            case ReadFailed r -> throw new PushException("connection to " + link.target() + " failed: " + r.error().getMessage(),
                    r.error());
            case Prepared p -> offer(p.file().entry(), p.file().digest(), p.file().content());
            case FullyHashed h -> onFullyHashed(h);
            case PrepareFailed p -> failures.add(new PushResult.Failure(p.entry().remotePath(), p.reason()));
            case PreparedAll p -> preparedAll = true;
        }
    }

    private void offer(SourceEntry entry, FileDigest digest) throws IOException {
        offer(entry, digest, null);
    }

    private void offer(SourceEntry entry, FileDigest digest, byte[] content) throws IOException {
        if (content != null) {
            offerInline(entry, digest, content);
            return;
        }
        int id = nextId++;
        int d = settings.algorithm().digestLength();
        boolean streamed = !entry.directory() && digest == null;
        int count = entry.directory() ? 0 : FileDigest.chunkCount(entry.size(), settings.chunkSize());
        OutgoingFile file = new OutgoingFile(id, entry, digest, streamed ? new byte[count * d] : null);
        inFlight.put(id, file);
        if (streamed) {
            hashAhead(file);
        }
        if (!entry.directory()) {
            listener.started(entry, settings.chunkSize(), count, streamed ? new byte[0] : digest.fileHash());
        }
        if (streamed || entry.directory()) {
            channel.write(new Frame.Offer(id, entry.directory() ? Frame.Kind.DIRECTORY : Frame.Kind.FILE, entry.remotePath(),
                    entry.size(), entry.mtimeSeconds(), entry.mtimeNanos(), entry.mode(), settings.chunkSize(),
                    settings.algorithm(), streamed ? new byte[0] : new byte[d], count, new byte[0],
                    streamed ? Frame.Delivery.STREAMED : Frame.Delivery.ASKED));
            return;
        }
        int first = Math.min(count, channel.limits().maxHashesPerFrame(d));
        channel.write(new Frame.Offer(id, Frame.Kind.FILE, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                entry.mtimeNanos(), entry.mode(), settings.chunkSize(), settings.algorithm(), digest.fileHash(), count,
                Arrays.copyOf(digest.chunkHashes(), first * d)));
        writeHashes(id, digest.chunkHashes(), first, count);
    }

    /** OFFER, every CHUNK and COMMIT in one go; the receiver answers with ACKs and DONE (or NACK: sent again). */
    private void offerInline(SourceEntry entry, FileDigest digest, byte[] content) throws IOException {
        int id = nextId++;
        OutgoingFile file = OutgoingFile.inline(id, entry, digest, content);
        inFlight.put(id, file);
        listener.started(entry, settings.chunkSize(), digest.chunkCount(), digest.fileHash());
        channel.write(new Frame.Offer(id, Frame.Kind.FILE, entry.remotePath(), entry.size(), entry.mtimeSeconds(),
                entry.mtimeNanos(), entry.mode(), settings.chunkSize(), settings.algorithm(), digest.fileHash(),
                digest.chunkCount(), digest.chunkHashes(), Frame.Delivery.INLINE));
        while (file.hasChunkToSend()) {
            sendChunk(file);
        }
        channel.write(new Frame.Commit(id, new byte[0]));
    }

    /** HASHES frames for chunks {@code from..count-1} of {@code hashes}. */
    private void writeHashes(int id, byte[] hashes, int from, int count) throws IOException {
        int d = settings.algorithm().digestLength();
        int perFrame = channel.limits().maxHashesPerFrame(d);
        for (int i = from; i < count; i += perFrame) {
            int n = Math.min(perFrame, count - i);
            channel.write(new Frame.Hashes(id, i, settings.algorithm(), Arrays.copyOfRange(hashes, i * d, (i + n) * d)));
        }
    }

    /**
     * Streamed file: hashes it whole on a thread of its own, ahead of its chunks ({@link HashAhead}); the list
     * arrives as {@link FullyHashed}, and goes into the digest cache if the file held still meanwhile.
     */
    private void hashAhead(OutgoingFile f) {
        f.ahead = new HashAhead(f.entry, settings.algorithm(), settings.chunkSize());
        f.ahead.start(settings.threads(), hashAheadSlot, digests,
                (digest, error) -> events.add(new FullyHashed(f.id, digest, error)));
    }

    private void onFullyHashed(FullyHashed h) throws IOException {
        OutgoingFile f = file(h.fileId());
        if (f == null || f.committing()) {
            return;
        }
        if (h.error() instanceof HashAhead.Changed) {
            abandonChanged(f, "source changed while it was pushed");
            return;
        }
        if (h.error() != null) {
            abandon(f, "cannot read: " + h.error().getMessage());
            return;
        }
        int mismatch = f.firstStreamMismatch(h.digest());
        if (mismatch >= 0) {
            abandonChanged(f, "source changed while it was pushed (chunk " + mismatch + " differs from when it was first read)");
            return;
        }
        f.digest = h.digest();
        if (f.hashListWanted) {
            f.hashListSent = true;
            writeHashes(f.id, f.digest.chunkHashes(), 0, f.digest.chunkCount());
        }
        if (f.unsentHashesPending()) {
            f.unsentHashesPending(false);
            if (f.needComplete() && (f.neededCount() == 0 || f.allAcked())) {
                commit(f);
            }
        }
    }

    private void onFrame(Frame frame) throws IOException {
        switch (frame) {
            case Frame.Need n -> {
                OutgoingFile f = file(n.fileId());
                if (f == null) {
                    return;
                }
                if (n.hashesFirst()) {
                    if (f.digest != null) {
                        f.hashListSent = true;
                        writeHashes(f.id, f.digest.chunkHashes(), 0, f.digest.chunkCount());
                    } else {
                        f.hashListWanted = true; // sent when the read-ahead has them all
                    }
                    return;
                }
                f.addNeed(n);
                int count = FileDigest.chunkCount(f.size(), settings.chunkSize());
                if (f.streamed() && f.digest == null && f.needComplete() && f.neededCount() < count) {
                    f.unsentHashesPending(true); // resumed: the file hash at COMMIT needs the kept chunks' hashes too
                }
                if (f.needComplete() && f.neededCount() == 0 && !f.unsentHashesPending()) {
                    commit(f);
                } else if (f.hasChunkToSend() && !sendQueue.contains(f)) {
                    sendQueue.add(f);
                }
            }
            case Frame.Ack a -> {
                OutgoingFile f = file(a.fileId());
                if (f == null) {
                    return;
                }
                long before = f.unackedBytes();
                f.acked(a.index(), chunkLength(f, a.index()));
                listener.acked(f.entry, a.index());
                unackedBytes -= before - f.unackedBytes();
                if (f.allAcked()) {
                    commit(f);
                }
            }
            case Frame.Nack n -> onNack(n);
            case Frame.Done d when pendingOps.containsKey(d.fileId()) -> {
                pendingOps.remove(d.fileId());
                opsDone++;
            }
            case Frame.Error err when pendingOps.containsKey(err.fileId()) -> {
                PushPlan.TreeOp op = pendingOps.remove(err.fileId());
                failures.add(new PushResult.Failure(op.path(), err.message() + " (" + err.code() + ")"));
            }
            case Frame.Done d -> {
                OutgoingFile f = inFlight.remove(d.fileId());
                if (f == null) {
                    throw new PushException("receiver sent DONE for unknown file id " + d.fileId());
                }
                finished(f);
                if (f.entry.directory()) {
                    directories++;
                } else {
                    listener.committed(f.entry);
                    if (f.identical()) {
                        filesUnchanged++;
                    } else {
                        filesSent++;
                    }
                }
                log.debug("done path={}", f.entry.remotePath());
            }
            case Frame.Error err when err.session() -> throw PushLink.refused(err);
            case Frame.Error err -> {
                OutgoingFile f = inFlight.remove(err.fileId());
                if (f != null) {
                    finished(f);
                    failures.add(new PushResult.Failure(f.entry.remotePath(), err.message() + " (" + err.code() + ")"));
                    listener.failed(f.entry, err.message() + " (" + err.code() + ")");
                }
            }
            case Frame.Pong p -> {
            }
            case Frame.Ping p -> channel.write(new Frame.Pong(p.value()));
            default -> throw new PushException("unexpected frame from the receiver: " + frame);
        }
    }

    private void onNack(Frame.Nack n) throws IOException {
        OutgoingFile f = file(n.fileId());
        if (f == null) {
            return;
        }
        int length = chunkLength(f, n.index());
        f.nacked(n.index(), length);
        unackedBytes -= length;
        int attempts = f.attempts(n.index());
        log.warn("chunk refused path={} index={} reason={} attempt={}", f.entry.remotePath(), n.index(), n.reason(), attempts);
        boolean sourceChanged = n.reason() == ErrorCode.HASH_MISMATCH && attempts >= 2;
        if (attempts >= settings.maxChunkAttempts() || sourceChanged) {
            String reason = sourceChanged
                    ? "source changed while it was pushed (chunk " + n.index() + " no longer matches its hash)"
                    : "chunk " + n.index() + " refused " + attempts + " times (" + n.reason() + ")";
            if (sourceChanged) {
                abandonChanged(f, reason);
            } else {
                abandon(f, reason);
            }
            return;
        }
        listener.refused(f.entry, n.index(), attempts, n.reason().name());
        Duration wait = settings.resendBackoff().delay(attempts, java.util.concurrent.ThreadLocalRandom.current());
        resendAt.add(new Resend(System.nanoTime() + wait.toNanos(), f, n.index())); // the other files go on meanwhile
    }

    private void sendChunk(OutgoingFile f) throws IOException {
        if (!f.hasChunkToSend()) {
            sendQueue.remove(f);
            return;
        }
        int index = f.nextChunk();
        if (!f.hasChunkToSend()) {
            sendQueue.remove(f);
        }
        int length = chunkLength(f, index);
        ByteBuffer data = buffer;
        if (f.inlineData != null) {
            data = ByteBuffer.wrap(f.inlineData, index * settings.chunkSize(), length);
        } else {
            try {
                FileHasher.readFully(f.source(), buffer, length, (long) index * settings.chunkSize(), f.entry.local());
            } catch (IOException e) {
                abandon(f, "cannot read: " + e.getMessage());
                return;
            }
            if (f.streamed() && !streamHash(f, index)) {
                abandonChanged(f, "source changed while it was pushed (chunk " + index + " differs from when it was first read)");
                return;
            }
        }
        crc.reset();
        crc.update(data.duplicate());
        channel.write(new Frame.Chunk(f.id, index, (int) crc.getValue(), data));
        int attempt = f.sent(index, length);
        unackedBytes += length;
        chunksSent++;
        bytesSent += length;
        if (attempt > 1) {
            chunksResent++;
        }
    }

    /**
     * Streamed file: sends chunk {@code index}'s hash ahead of it (first send) — from the read-ahead if it got there,
     * else hashed here from {@code buffer} — or checks that a re-send still has the hash that went out. The receiver
     * checks the chunk against that hash. False: the source changed under us. Nothing to do once the whole list went
     * out.
     */
    private boolean streamHash(OutgoingFile f, int index) throws IOException {
        if (f.hashListSent) {
            return true;
        }
        byte[] h = new byte[settings.algorithm().digestLength()];
        if (f.digest != null) {
            System.arraycopy(f.digest.chunkHashes(), index * h.length, h, 0, h.length);
        } else if (f.ahead == null || !f.ahead.hashOf(index, h)) {
            digester.digest(buffer, h, 0);
        }
        boolean first = !f.streamHashSent(index);
        if (!f.recordStreamHash(index, h)) {
            return false;
        }
        if (first) {
            channel.write(new Frame.Hashes(f.id, index, settings.algorithm(), h));
        }
        return true;
    }

    /**
     * Every chunk is acknowledged: if the source still has the size and mtime it was offered with, ask for the
     * commit (with the file hash, for a streamed offer); otherwise give the file up rather than commit a mix.
     */
    private void commit(OutgoingFile f) throws IOException {
        if (f.committing() || f.unsentHashesPending()) {
            return; // (the hashes of the kept chunks arrive as an event, which commits then)
        }
        f.markCommitting();
        f.closeSource();
        try {
            if (!SourceWalker.restat(f.entry).equals(f.entry)) {
                abandonChanged(f, "source changed while it was pushed");
                return;
            }
        } catch (IOException e) {
            abandon(f, "source changed while it was pushed: " + e.getMessage());
            return;
        }
        byte[] fileHash = !f.streamed() ? new byte[0]
                : f.digest != null ? f.digest.fileHash()
                : FileDigest.fileHash(settings.algorithm(), settings.chunkSize(), f.size(), f.streamHashes());
        channel.write(new Frame.Commit(f.id, fileHash));
    }

    /** Gives up a file whose content is not what it was hashed as: the digest cache must not offer that list again. */
    private void abandonChanged(OutgoingFile f, String reason) throws IOException {
        digests.forget(f.entry.local());
        abandon(f, reason);
    }

    /** Gives a file up on this side and tells the receiver to drop its partial. */
    private void abandon(OutgoingFile f, String reason) throws IOException {
        inFlight.remove(f.id);
        finished(f);
        failures.add(new PushResult.Failure(f.entry.remotePath(), reason));
        listener.failed(f.entry, reason);
        channel.write(new Frame.Error(ErrorCode.IO, f.id, reason));
    }

    private void finished(OutgoingFile f) {
        sendQueue.remove(f);
        unackedBytes -= f.unackedBytes();
        f.closeSource();
        if (!f.entry.directory()) {
            fileSlots.release();
        }
    }

    /** Directories go last, deepest first, once no file is in flight, so their mtime sticks. */
    private void offerDirectories() throws IOException, InterruptedException {
        for (SourceEntry dir : listing.directories()) {
            offer(dir, null);
        }
        preparedAll = true;
        loop();
    }

    private OutgoingFile file(int id) {
        return inFlight.get(id); // null: already failed or abandoned here; late frames for it are dropped
    }

    private int chunkLength(OutgoingFile f, int index) {
        return FileDigest.chunkLength(f.size(), settings.chunkSize(), index);
    }
}
