package dev.ferry.journal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The journal's one writer: a virtual thread that owns the active segment after {@link Journal#open} and is the only
 * code that touches the journal's files from then on. It takes due batches from the {@link CommitQueue}, writes each
 * with one positional write and forces it (a group commit), and compacts when the active segment has grown past
 * {@code max(compactAtBytes, 2 x its size right after the last compaction)}.
 *
 * <p>Compaction, step by step, and what a crash after each step leaves (every case replays to the same state):
 * <ol>
 *   <li>under the journal's lock, take the records not yet written and a snapshot of the live state they lead to;
 *       appends go on meanwhile, into the next batch;</li>
 *   <li>write and force those records to the old segment as a normal batch (old segment = the snapshot);</li>
 *   <li>write the snapshot as segment N+1 under {@code .tmp}, force it (crash: the .tmp is deleted on open and the
 *       old segment replayed);</li>
 *   <li>rename it to its real name and fsync the folder (crash: the newest segment, N+1, is replayed and N deleted);</li>
 *   <li>write the next batches to N+1, delete N.</li>
 * </ol>
 * A failed write, force or compaction stops the flusher and fails the journal (appends and waits throw); what was
 * durable stays on disk and a new {@link Journal#open} resumes from it.
 */
final class Flusher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Flusher.class);

    private final Path dir;
    private final JournalOptions options;
    private final CommitQueue queue;
    private final Supplier<JournalState> liveState;
    private final Map<String, String> mdc;
    private FileChannel channel;
    private long segment;
    private long size;
    private long baseBytes;

    /**
     * @param liveState called under the journal's lock, at the moment a compaction takes its batch
     */
    Flusher(Path dir, JournalOptions options, CommitQueue queue, Supplier<JournalState> liveState,
            Map<String, String> mdc, FileChannel channel, long segment, long size) {
        this.dir = dir;
        this.options = options;
        this.queue = queue;
        this.liveState = liveState;
        this.mdc = mdc;
        this.channel = channel;
        this.segment = segment;
        this.size = size;
        this.baseBytes = JournalFormat.HEADER_LENGTH;
    }

    @Override
    public void run() {
        if (mdc != null) {
            MDC.setContextMap(mdc);
        }
        try {
            while (true) {
                CommitQueue.Batch b = queue.awaitBatch();
                if (b == null) {
                    return;
                }
                commit(b);
                if (b.compact() || size >= Math.max(options.compactAtBytes(), 2 * baseBytes)) {
                    compact();
                }
            }
        } catch (InterruptedException e) {
            queue.fail(new InterruptedIOException("journal flusher interrupted"));
        } catch (IOException e) {
            log.error("journal dir={} segment={} cannot be written, it takes no more records: {}", dir, segment,
                    e.toString());
            queue.fail(e);
        } catch (RuntimeException | Error e) {
            log.error("journal dir={} flusher failed", dir, e);
            queue.fail(new IOException("journal flusher failed: " + e, e));
            throw e;
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("journal dir={} segment={} close failed: {}", dir, segment, e.toString());
            }
        }
    }

    private void commit(CommitQueue.Batch b) throws IOException {
        ByteBuffer bytes = b.bytes();
        int n = bytes.remaining();
        while (bytes.hasRemaining()) {
            channel.write(bytes, size + (n - bytes.remaining()));
        }
        size += n;
        boolean force = options.durable() && b.records() > 0;
        if (force) {
            channel.force(false); // fdatasync: flushes the data and the size change, which is all replay needs
        }
        queue.committed(b, n, force);
    }

    private void compact() throws IOException {
        long started = System.nanoTime();
        long before = size;
        CommitQueue.Snapshot s = queue.takeForCompaction(liveState);
        commit(s.batch());
        long next = segment + 1;
        Path installed = Segments.install(Segments.writeTemp(dir, next, s.state()));
        FileChannel fresh = FileChannel.open(installed, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel stale = channel;
        long old = segment;
        channel = fresh;
        segment = next;
        size = fresh.size();
        baseBytes = size;
        queue.compacted(size);
        stale.close();
        Files.deleteIfExists(Segments.path(dir, old));
        log.debug("journal dir={} compacted segment={} bytes={} into segment={} bytes={} files={} treeOps={} ms={}",
                dir, old, before, next, size, s.state().files().size(), s.state().treeOps().size(),
                (System.nanoTime() - started) / 1_000_000);
    }
}
