package dev.ferry.journal;

import static dev.ferry.journal.JournalFormat.HEADER_LENGTH;
import static dev.ferry.journal.JournalFormat.MAX_RECORD_LENGTH;

import dev.ferry.disk.BadRecordException;
import dev.ferry.disk.RecordReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads one segment as {@link JournalFormat} lays it out: checks the header, then hands each intact record to a
 * sink, in file order, up to the first damaged one ({@link RecordReader} finds it). The read buffer always fits the
 * largest legal record, so no length read from the file ever sizes an allocation. Not thread-safe: one per read,
 * run by {@link Journal#open} before the journal has other threads.
 */
final class SegmentReader {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** Receives each intact record; throws {@link IllegalArgumentException} to declare it damage after all. */
    interface Sink {
        void accept(JournalRecord record);
    }

    /**
     * What a read found.
     *
     * @param header        the segment's header
     * @param validEnd      offset just past the last intact record (the header's end if there is none)
     * @param records       intact records handed to the sink
     * @param problem       null if the file ended cleanly after a record; else what was wrong at {@code validEnd}
     */
    record Result(JournalFormat.Header header, long validEnd, int records, String problem) {
        boolean clean() {
            return problem == null;
        }
    }

    private SegmentReader() {
    }

    /**
     * Reads segment {@code segment} from the start of {@code ch}, handing its records to the sink {@code sinkFor}
     * makes once the header is checked.
     *
     * @throws JournalCorruptException if the header is damaged or of another version
     * @throws IOException             if the file cannot be read
     */
    static Result read(FileChannel ch, Path file, long segment, Function<JournalFormat.Header, Sink> sinkFor)
            throws IOException {
        RecordReader in = new RecordReader(ch, BUFFER_BYTES, MAX_RECORD_LENGTH);
        JournalFormat.Header header = JournalFormat.readHeader(file, segment, in.head(HEADER_LENGTH));
        Sink sink = sinkFor.apply(header);
        RecordReader.Result r = in.records(HEADER_LENGTH, (type, payload) -> {
            try {
                sink.accept(RecordCodec.decode(type, payload));
                return true;
            } catch (IllegalArgumentException e) { // the CRC vouched for it: written by a bug or a newer build
                throw new BadRecordException(e.getMessage());
            }
        });
        return new Result(header, r.validEnd(), r.records(), r.problem());
    }
}
