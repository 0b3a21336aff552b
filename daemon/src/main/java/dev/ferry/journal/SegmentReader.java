package dev.ferry.journal;

import static dev.ferry.journal.JournalFormat.CRC_OFFSET;
import static dev.ferry.journal.JournalFormat.HEADER_LENGTH;
import static dev.ferry.journal.JournalFormat.LENGTH_OFFSET;
import static dev.ferry.journal.JournalFormat.MAX_RECORD_LENGTH;
import static dev.ferry.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static dev.ferry.journal.JournalFormat.TYPE_OFFSET;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Reads one segment as {@link JournalFormat} lays it out: checks the header, then hands each intact record to a
 * sink, in file order, up to the first damaged one. The file is read through one buffer that always fits the
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

    private final FileChannel ch;
    private final Path file;
    private final long size;
    private final ByteBuffer buf;
    private long bufStart; // file offset of buf[0]

    private SegmentReader(FileChannel ch, Path file) throws IOException {
        this.ch = ch;
        this.file = file;
        this.size = ch.size();
        this.buf = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(size, HEADER_LENGTH)));
        buf.limit(0);
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
        return new SegmentReader(ch, file).run(segment, sinkFor);
    }

    private Result run(long segment, Function<JournalFormat.Header, Sink> sinkFor) throws IOException {
        have(0, (int) Math.min(size, HEADER_LENGTH));
        JournalFormat.Header header = JournalFormat.readHeader(file, segment, buf.slice(0, buf.limit()));
        Sink sink = sinkFor.apply(header);
        long pos = HEADER_LENGTH;
        int count = 0;
        while (pos < size) {
            long left = size - pos;
            if (left < RECORD_HEADER_LENGTH) {
                return new Result(header, pos, count, "record header cut short: " + left + " bytes left");
            }
            have(pos, RECORD_HEADER_LENGTH);
            int at = (int) (pos - bufStart);
            long length = Integer.toUnsignedLong(buf.getInt(at + LENGTH_OFFSET));
            if (length > MAX_RECORD_LENGTH) {
                return new Result(header, pos, count, "record length=" + length + " > max=" + MAX_RECORD_LENGTH);
            }
            if (length > left - RECORD_HEADER_LENGTH) {
                return new Result(header, pos, count, "record length=" + length + " > "
                        + (left - RECORD_HEADER_LENGTH) + " bytes remaining (torn append)");
            }
            int total = RECORD_HEADER_LENGTH + (int) length;
            if (!have(pos, total)) {
                return new Result(header, pos, count, "file shrank while read");
            }
            at = (int) (pos - bufStart);
            byte type = buf.get(at + TYPE_OFFSET);
            int stored = buf.getInt(at + CRC_OFFSET);
            int computed = RecordCodec.crc(type, buf.array(), at + RECORD_HEADER_LENGTH, (int) length);
            if (stored != computed) {
                return new Result(header, pos, count, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                        + ", computed 0x" + Integer.toHexString(computed));
            }
            try {
                sink.accept(RecordCodec.decode(type, buf.slice(at + RECORD_HEADER_LENGTH, (int) length)));
            } catch (BufferUnderflowException e) {
                return new Result(header, pos, count, "payload of type 0x" + Integer.toHexString(type & 0xFF)
                        + " cut short at " + length + " bytes");
            } catch (IllegalArgumentException e) { // the CRC vouched for it: written by a bug or a newer build
                return new Result(header, pos, count, e.getMessage());
            }
            count++;
            pos += total;
        }
        return new Result(header, pos, count, null);
    }

    /** Makes file bytes [at, at + n) readable at buf[at - bufStart]; false if the file ends first. */
    private boolean have(long at, int n) throws IOException {
        int off = (int) (at - bufStart);
        if (off >= 0 && off + n <= buf.limit()) {
            return true;
        }
        buf.position(off).compact().flip();
        bufStart = at;
        while (buf.limit() < n) {
            int filled = buf.limit();
            buf.position(filled).limit(buf.capacity());
            int read = ch.read(buf, bufStart + filled);
            buf.limit(buf.position()).position(0);
            if (read < 0) {
                return false;
            }
        }
        return true;
    }
}
