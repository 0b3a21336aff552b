package dev.ferry.push;

import dev.ferry.auth.Proof;
import dev.ferry.hash.FileDigest;
import dev.ferry.hash.FileHasher;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import dev.ferry.wire.FrameChannel;
import dev.ferry.wire.WireLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
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
 * One connection pushing a list of entries. The calling thread is the writer and the only owner of the session
 * state; two virtual threads feed it through one event queue: the reader (frames from the receiver) and the
 * hasher (files hashed and ready to offer, at most {@code maxFilesInFlight} ahead). Chunks stream out while
 * fewer than {@code maxBytesInFlight} bytes are unacknowledged.
 */
final class PushSession {
    static final int PROTOCOL_VERSION = 1;
    private static final Logger log = LoggerFactory.getLogger(PushSession.class);
    private static final String SOFTWARE = "ferry/0.1";

    private sealed interface Event {
    }

    private record Arrived(Frame frame) implements Event {
    }

    private record ReadFailed(IOException error) implements Event {
    }

    private record Prepared(SourceEntry entry, FileDigest digest) implements Event {
    }

    private record PrepareFailed(SourceEntry entry, String reason) implements Event {
    }

    private record PreparedAll() implements Event {
    }

    private final PushSettings settings;
    private final SourceWalker.Listing listing;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Semaphore fileSlots;
    private final Map<Integer, OutgoingFile> inFlight = new HashMap<>();
    private final ArrayDeque<OutgoingFile> sendQueue = new ArrayDeque<>();
    private final List<PushResult.Failure> failures = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private FrameChannel channel;
    private byte[] buffer;
    private int nextId = 1;
    private long unackedBytes;
    private boolean preparedAll;
    private int filesSent;
    private int filesUnchanged;
    private int directories;
    private long chunksSent;
    private long chunksResent;
    private long bytesSent;

    PushSession(PushSettings settings, SourceWalker.Listing listing) {
        this.settings = settings;
        this.listing = listing;
        this.fileSlots = new Semaphore(settings.maxFilesInFlight());
    }

    PushResult run() throws PushException {
        long start = System.nanoTime();
        Socket socket = new Socket();
        Thread reader = null;
        Thread hasher = null;
        String target = settings.host() + ":" + settings.port();
        try {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), (int) settings.connectTimeout().toMillis());
            channel = new FrameChannel(socket, WireLimits.forChunk(Math.max(settings.chunkSize(), WireLimits.DEFAULT_MAX_CHUNK)));
            channel.readTimeout(settings.readTimeout());
            handshake();
            buffer = new byte[settings.chunkSize()];
            reader = Thread.ofVirtual().name("ferry-push-reader").start(this::readLoop);
            hasher = Thread.ofVirtual().name("ferry-push-hasher").start(this::hashLoop);
            loop();
            offerDirectories();
            channel.send(new Frame.Bye());
        } catch (PushException e) {
            throw e;
        } catch (IOException e) {
            throw new PushException("connection to " + target + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushException("interrupted");
        } finally {
            for (OutgoingFile f : inFlight.values()) {
                f.closeSource();
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to flush that matters
            }
            if (hasher != null) {
                hasher.interrupt();
            }
            joinQuietly(reader);
            joinQuietly(hasher);
        }
        return new PushResult(filesSent, filesUnchanged, directories, chunksSent, chunksResent, bytesSent, failures,
                listing.skipped(), Duration.ofNanos(System.nanoTime() - start));
    }

    private void handshake() throws IOException {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        channel.send(new Frame.Hello(PROTOCOL_VERSION, PROTOCOL_VERSION, settings.folder(), nonce, SOFTWARE));
        Frame f = channel.read();
        if (f instanceof Frame.Error e) {
            throw refused(e);
        }
        if (!(f instanceof Frame.Challenge c)) {
            throw new PushException("receiver answered HELLO with " + f);
        }
        if (c.version() != PROTOCOL_VERSION) {
            throw new PushException("receiver chose protocol version " + c.version() + ", this sender speaks "
                    + PROTOCOL_VERSION + ".." + PROTOCOL_VERSION);
        }
        channel.send(new Frame.Auth(Proof.compute(settings.token(), nonce, c.serverNonce(), settings.folder())));
        f = channel.read();
        if (f instanceof Frame.Error e) {
            throw refused(e);
        }
        if (!(f instanceof Frame.Welcome w)) {
            throw new PushException("receiver answered AUTH with " + f);
        }
        if (settings.chunkSize() > w.maxChunkLength()) {
            throw new PushException("chunk size " + settings.chunkSize() + " is above the receiver's limit of " + w.maxChunkLength());
        }
    }

    private PushException refused(Frame.Error e) {
        return new PushException("receiver refused: " + e.message() + " (" + e.code() + ")");
    }

    private void readLoop() {
        try {
            while (true) {
                events.add(new Arrived(channel.read()));
            }
        } catch (IOException e) {
            events.add(new ReadFailed(e));
        }
    }

    private void hashLoop() {
        FileHasher hasher = new FileHasher(settings.algorithm(), settings.chunkSize());
        try {
            for (SourceEntry entry : listing.files()) {
                fileSlots.acquire();
                try {
                    events.add(new Prepared(entry, hasher.hash(entry.local())));
                } catch (IOException e) {
                    fileSlots.release();
                    events.add(new PrepareFailed(entry, "cannot read: " + e.getMessage()));
                }
            }
            events.add(new PreparedAll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs until every file is DONE or failed. */
    private void loop() throws IOException, InterruptedException {
        while (!(preparedAll && inFlight.isEmpty())) {
            Event e = events.poll();
            if (e != null) {
                handle(e);
                continue;
            }
            OutgoingFile next = sendQueue.peekFirst();
            if (next != null && unackedBytes < settings.maxBytesInFlight()) {
                sendChunk(next);
                continue;
            }
            channel.flush();
            e = events.poll(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new PushException("receiver sent nothing for " + settings.readTimeout());
            }
            handle(e);
        }
    }

    private void handle(Event e) throws IOException {
        switch (e) {
            case Arrived a -> onFrame(a.frame());
            case ReadFailed r -> throw new PushException("connection lost: " + r.error().getMessage(), r.error());
            case Prepared p -> offer(p.entry(), p.digest());
            case PrepareFailed p -> failures.add(new PushResult.Failure(p.entry().remotePath(), p.reason()));
            case PreparedAll p -> preparedAll = true;
        }
    }

    private void offer(SourceEntry entry, FileDigest digest) throws IOException {
        int id = nextId++;
        OutgoingFile file = new OutgoingFile(id, entry, digest);
        inFlight.put(id, file);
        int d = settings.algorithm().digestLength();
        int perFrame = channel.limits().maxHashesPerFrame(d);
        int count = digest == null ? 0 : digest.chunkCount();
        int first = Math.min(count, perFrame);
        byte[] hashes = digest == null ? new byte[0] : Arrays.copyOf(digest.chunkHashes(), first * d);
        byte[] fileHash = digest == null ? new byte[d] : digest.fileHash();
        channel.write(new Frame.Offer(id, entry.directory() ? Frame.Kind.DIRECTORY : Frame.Kind.FILE, entry.remotePath(),
                entry.directory() ? 0 : digest.size(), entry.mtimeSeconds(), entry.mtimeNanos(), entry.mode(), settings.chunkSize(),
                settings.algorithm(), fileHash, count, hashes));
        for (int i = first; i < count; i += perFrame) {
            int n = Math.min(perFrame, count - i);
            channel.write(new Frame.Hashes(id, i, settings.algorithm(),
                    Arrays.copyOfRange(digest.chunkHashes(), i * d, (i + n) * d)));
        }
    }

    private void onFrame(Frame frame) throws IOException {
        switch (frame) {
            case Frame.Need n -> {
                OutgoingFile f = file(n.fileId());
                if (f == null) {
                    return;
                }
                f.addNeed(n);
                if (f.needComplete() && f.neededCount() == 0) {
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
                unackedBytes -= before - f.unackedBytes();
                if (f.allAcked()) {
                    commit(f);
                }
            }
            case Frame.Nack n -> onNack(n);
            case Frame.Done d -> {
                OutgoingFile f = inFlight.remove(d.fileId());
                if (f == null) {
                    throw new PushException("receiver sent DONE for unknown file id " + d.fileId());
                }
                finished(f);
                if (f.entry.directory()) {
                    directories++;
                } else if (f.identical()) {
                    filesUnchanged++;
                } else {
                    filesSent++;
                }
                log.debug("done path={}", f.entry.remotePath());
            }
            case Frame.Error err when err.session() -> throw refused(err);
            case Frame.Error err -> {
                OutgoingFile f = inFlight.remove(err.fileId());
                if (f != null) {
                    finished(f);
                    failures.add(new PushResult.Failure(f.entry.remotePath(), err.message() + " (" + err.code() + ")"));
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
            abandon(f, reason);
            return;
        }
        if (!sendQueue.contains(f)) {
            sendQueue.addFirst(f);
        }
    }

    private void sendChunk(OutgoingFile f) throws IOException {
        int index = f.nextChunk();
        if (!f.hasChunkToSend()) {
            sendQueue.remove(f);
        }
        int length = chunkLength(f, index);
        try {
            FileHasher.readFully(f.source(), buffer, length, (long) index * settings.chunkSize(), f.entry.local());
        } catch (IOException e) {
            abandon(f, "cannot read: " + e.getMessage());
            return;
        }
        crc.reset();
        crc.update(buffer, 0, length);
        channel.write(new Frame.Chunk(f.id, index, (int) crc.getValue(), buffer, 0, length));
        int attempt = f.sent(index, length);
        unackedBytes += length;
        chunksSent++;
        bytesSent += length;
        if (attempt > 1) {
            chunksResent++;
        }
    }

    private void commit(OutgoingFile f) throws IOException {
        if (!f.committing()) {
            f.markCommitting();
            f.closeSource();
            channel.write(new Frame.Commit(f.id));
        }
    }

    /** Gives a file up on this side and tells the receiver to drop its partial. */
    private void abandon(OutgoingFile f, String reason) throws IOException {
        inFlight.remove(f.id);
        finished(f);
        failures.add(new PushResult.Failure(f.entry.remotePath(), reason));
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
        return FileDigest.chunkLength(f.digest.size(), settings.chunkSize(), index);
    }

    private static void joinQuietly(Thread t) {
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
