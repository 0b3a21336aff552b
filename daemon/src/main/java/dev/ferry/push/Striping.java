package dev.ferry.push;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.Frame;
import dev.ferry.wire.Protocol;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parallel streams, on the connection that offers a big file (its owner): SHAREs the file with the receiver ahead of
 * its OFFER, splits its missing chunks into stripes once the NEED is complete (this connection keeps the first, each
 * free lane of the {@link StripeCrew} gets one), and takes each stripe's {@link StripeResult} back: its ACKed chunks
 * count as acknowledged here (their hashes, for a streamed file, go into the file hash), the rest is sent here. The
 * file commits only once every stripe has ended. Runs on the owner's writer thread, for its {@link PlanRun}.
 */
final class Striping {
    private static final Logger log = LoggerFactory.getLogger(Striping.class);
    /** A file of fewer chunks is not split: the extra JOINs and connections would cost more than they gain. */
    static final int MIN_CHUNKS = 64;

    private final StripeCrew crew;
    private final PushLink link;
    private final PushSettings settings;
    private final InFlightFiles files;
    private final ChunkWindow window;
    private final PlanTally tally;
    private final TransferListener listener;
    private final BlockingQueue<SessionEvent> events;
    private final SecureRandom random = new SecureRandom();

    Striping(StripeCrew crew, SessionParts parts, InFlightFiles files, ChunkWindow window, PlanTally tally) {
        this.crew = crew;
        this.link = parts.link();
        this.settings = parts.settings();
        this.files = files;
        this.window = window;
        this.tally = tally;
        this.listener = parts.listener();
        this.events = parts.events();
    }

    /** Before the OFFER of {@code f}: a big file SHAREd (if the receiver agreed and a lane is free), or nothing. */
    void share(Offer offer, OutgoingFile f, FrameOut out) throws IOException {
        boolean big = offer instanceof Offer.Streamed || offer instanceof Offer.Hashed;
        if (!big || !link.streamsGranted() || crew.idle() == 0 || !crew.worthIt(link.handshakeRttNs())
                || FileDigest.chunkCount(f.size(), settings.chunkSize()) < MIN_CHUNKS) {
            return;
        }
        byte[] key = new byte[Protocol.SHARE_KEY_LENGTH];
        random.nextBytes(key);
        f.shareKey(key);
        out.write(new Frame.Share(f.id, key));
    }

    /** Its NEED is complete: if enough chunks are missing, stripes of them go to the free lanes. */
    void split(OutgoingFile f) {
        if (f.striped() || !f.needComplete() || f.neededCount() < MIN_CHUNKS || f.committing()) {
            return;
        }
        int lanes = Math.min(crew.idle(), f.neededCount() / (MIN_CHUNKS / 2) - 1);
        if (lanes < 1) {
            return;
        }
        List<List<Frame.Range>> runs = f.splitOff(lanes);
        FileDigest offered = f.streamed() ? null : f.digest();
        for (List<Frame.Range> run : runs) {
            StripeJob job = new StripeJob(f.id, f.entry, f.entry.remotePath(), f.shareKey(), run, offered);
            f.stripeStarted(job);
            if (!crew.start(job, r -> events.add(new SessionEvent.StripeEnded(r)))) {
                f.stripeEnded(job);
                takeBack(f, run); // (no lane after all: sent here)
            }
        }
        log.debug("striped path={} chunks={} stripes={}", f.entry.remotePath(), f.neededCount(), runs.size());
    }

    /** A stripe ended: what it got acknowledged counts, the rest is sent here; the file commits when all is in. */
    void ended(StripeResult r) throws IOException {
        tally.stripeSent(r);
        OutgoingFile f = files.get(r.job().ownerFileId());
        if (f == null || r.job().cancelled().get()) {
            return; // (the file ended meanwhile)
        }
        f.stripeEnded(r.job());
        if (r.sourceChanged()) {
            files.abandonChanged(f, r.failure());
            return;
        }
        int d = settings.algorithm().digestLength();
        byte[] h = new byte[d];
        for (int i = r.acked().nextSetBit(0); i >= 0; i = r.acked().nextSetBit(i + 1)) {
            System.arraycopy(r.hashes(), i * d, h, 0, d);
            if (f.streamed() && !recordStreamed(f, i, h)) {
                files.abandonChanged(f, "source changed while it was pushed (chunk " + i + " differs from when it was first read)");
                return;
            }
            f.ackedElsewhere(i);
            listener.acked(f.entry, i);
        }
        if (r.failure() != null) {
            log.info("stripe of path={} ended early ({}); its {} unacknowledged chunk(s) go on the first connection",
                    f.entry.remotePath(), r.failure(), r.job().chunkCount() - r.acked().cardinality());
            for (Frame.Range range : r.job().ranges()) {
                for (int i = range.start(); i < range.start() + range.count(); i++) {
                    if (!r.acked().get(i)) {
                        f.resendLater(i);
                    }
                }
            }
            if (f.hasChunkToSend()) {
                window.queue(f);
            }
        }
        if (f.allAcked()) {
            files.commit(f);
        }
    }

    /** A streamed file: the stripe's hash of chunk {@code i} goes into the file hash; false if it differs. */
    private static boolean recordStreamed(OutgoingFile f, int i, byte[] h) {
        StreamedHashes stream = f.stream();
        byte[] known = new byte[h.length];
        if (stream.knownHash(i, known) && !Arrays.equals(known, h)) {
            return false;
        }
        return stream.record(i, h);
    }

    private void takeBack(OutgoingFile f, List<Frame.Range> run) {
        for (Frame.Range range : run) {
            for (int i = range.start(); i < range.start() + range.count(); i++) {
                f.resendLater(i);
            }
        }
        window.queue(f);
    }
}
