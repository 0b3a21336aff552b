package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.ErrorCode;
import dev.ferry.wire.Frame;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one plan that are offered and not yet done, and how each one ends: COMMIT once every chunk is
 * acknowledged (or given up if the source moved meanwhile), DONE or ERROR from the receiver, or abandoned on this
 * side. Each file holds one of {@code maxFilesInFlight} slots from before it is prepared until it ends. The writer
 * thread owns it; only the slots are taken from the plan's hasher thread.
 */
final class InFlightFiles {
    private static final Logger log = LoggerFactory.getLogger(InFlightFiles.class);

    private final Map<Integer, OutgoingFile> byId = new HashMap<>();
    private final Semaphore slots;
    private final PushSettings settings;
    private final DigestCache digests;
    private final TransferListener listener;
    private final FrameOut out;
    private final ChunkWindow window;
    private final PlanTally tally;

    InFlightFiles(PushSettings settings, DigestCache digests, TransferListener listener, FrameOut out, ChunkWindow window,
                  PlanTally tally) {
        this.slots = new Semaphore(settings.maxFilesInFlight());
        this.settings = settings;
        this.digests = digests;
        this.listener = listener;
        this.out = out;
        this.window = window;
        this.tally = tally;
    }

    /** Hasher thread: waits for a slot before it prepares the next file. */
    void takeSlot() throws InterruptedException {
        slots.acquire();
    }

    /** Hasher thread: the file it took a slot for could not be prepared. */
    void giveSlot() {
        slots.release();
    }

    void add(OutgoingFile f) {
        byId.put(f.id, f);
    }

    /** Null: already failed or abandoned here; late frames for it are dropped. */
    OutgoingFile get(int id) {
        return byId.get(id);
    }

    boolean contains(int id) {
        return byId.containsKey(id);
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    Collection<OutgoingFile> all() {
        return byId.values();
    }

    /**
     * Every chunk is acknowledged: if the source still has the size and mtime it was offered with, ask for the
     * commit (with the file hash, for a streamed offer); otherwise give the file up rather than commit a mix.
     */
    void commit(OutgoingFile f) throws IOException {
        if (f.committing() || f.keptHashesPending()) {
            return; // (the hashes of the kept chunks arrive as an event, which commits then)
        }
        f.markCommitting();
        f.closeSource();
        try {
            if (!f.entry.restat().equals(f.entry)) {
                abandonChanged(f, "source changed while it was pushed");
                return;
            }
        } catch (IOException e) {
            abandon(f, "source changed while it was pushed: " + e.getMessage());
            return;
        }
        FileDigest digest = f.digest();
        byte[] fileHash = !f.streamed() ? new byte[0]
                : digest != null ? digest.fileHash()
                : FileDigest.fileHash(settings.algorithm(), settings.chunkSize(), f.size(), f.stream().sentHashes());
        out.write(new Frame.Commit(f.id, fileHash));
    }

    /** DONE: the entry is in place on the receiver. */
    void done(Frame.Done d) throws PushException {
        OutgoingFile f = byId.remove(d.fileId());
        if (f == null) {
            throw new PushException("receiver sent DONE for unknown file id " + d.fileId());
        }
        finished(f);
        if (f.entry.directory()) {
            tally.directoryDone();
        } else {
            listener.committed(f.entry, f.identical());
            tally.fileDone(f.identical());
        }
        log.debug("done path={}", f.entry.remotePath());
    }

    /** The receiver gave the file up. */
    void failed(Frame.Error err) {
        OutgoingFile f = byId.remove(err.fileId());
        if (f != null) {
            finished(f);
            tally.failed(f.entry.remotePath(), err.message() + " (" + err.code() + ")");
            listener.failed(f.entry, err.message() + " (" + err.code() + ")");
        }
    }

    /** Gives up a file whose content is not what it was hashed as: the digest cache must not offer that list again. */
    void abandonChanged(OutgoingFile f, String reason) throws IOException {
        digests.forget(f.entry.local());
        abandon(f, reason);
    }

    /** Gives a file up on this side and tells the receiver to drop its partial. */
    void abandon(OutgoingFile f, String reason) throws IOException {
        byId.remove(f.id);
        finished(f);
        tally.failed(f.entry.remotePath(), reason);
        listener.failed(f.entry, reason);
        out.write(new Frame.Error(ErrorCode.IO, f.id, reason));
    }

    private void finished(OutgoingFile f) {
        f.cancelStripes();
        window.drop(f);
        f.closeSource();
        if (!f.entry.directory()) {
            slots.release();
        }
    }
}
