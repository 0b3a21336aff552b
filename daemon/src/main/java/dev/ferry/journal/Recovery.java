package dev.ferry.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Journal#open} does to a journal folder before the journal takes appends, on the opening thread: clears
 * what an interrupted compaction left, replays the newest segment, cuts a torn tail, and leaves the segment open for
 * appending.
 *
 * <p>Every segment is complete on its own: the first starts from nothing, and each later one is a compaction's
 * snapshot of the live state plus what was appended after it. So only the newest segment is replayed; an older one
 * is left only when a crash came between installing its successor and deleting it, and is deleted here.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);

    /**
     * A folder ready for appends.
     *
     * @param channel      the newest segment, open for reading and writing, cut to its last intact record
     * @param size         its size after the cut
     * @param bytesWritten bytes written while opening (a new folder's first segment header)
     * @param tornTailCut  true if damage was cut off the end of the segment
     */
    record Recovered(LiveState state, long segment, FileChannel channel, long size, long bytesWritten,
            boolean tornTailCut) {
    }

    private Recovery() {
    }

    static Recovered run(Path dir, JournalOptions options) throws IOException {
        for (Path tmp : Segments.temps(dir)) {
            Files.delete(tmp);
            log.info("journal dir={} removed file={} left by an interrupted compaction", dir, tmp.getFileName());
        }
        TreeMap<Long, Path> segments = Segments.list(dir);
        long bytesWritten = 0;
        if (segments.isEmpty()) {
            JournalState empty = new JournalState(List.of(), List.of(), 1);
            segments.put(1L, Segments.install(Segments.writeTemp(dir, 1, empty)));
            bytesWritten = JournalFormat.HEADER_LENGTH;
        }
        Map.Entry<Long, Path> newest = segments.lastEntry();
        Path file = newest.getValue();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            LiveState[] live = new LiveState[1];
            SegmentReader.Result r = SegmentReader.read(ch, file, newest.getKey(), header -> {
                live[0] = new LiveState(header.nextId());
                return record -> {
                    if (live[0].accepts(record)) {
                        live[0].apply(record);
                    }
                };
            });
            long fileSize = ch.size();
            if (!r.clean()) {
                log.warn("journal file={} damaged at offset={}: {}; cut the {} bytes from there, kept {} records",
                        file, r.validEnd(), r.problem(), fileSize - r.validEnd(), r.records());
                ch.truncate(r.validEnd());
                if (options.durable()) {
                    ch.force(false); // so that a crash cannot bring the cut bytes back behind new records
                }
            }
            for (Map.Entry<Long, Path> older : segments.headMap(newest.getKey()).entrySet()) {
                Files.delete(older.getValue());
                log.info("journal dir={} removed segment={} superseded by segment={} (a compaction was interrupted "
                        + "before its clean-up)", dir, older.getKey(), newest.getKey());
            }
            return new Recovered(live[0], newest.getKey(), ch, r.validEnd(), bytesWritten, !r.clean());
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
