package dev.ferry.disk;

import static dev.ferry.disk.RecordFrame.CRC_OFFSET;
import static dev.ferry.disk.RecordFrame.HEADER_LENGTH;
import static dev.ferry.disk.RecordFrame.LENGTH_OFFSET;
import static dev.ferry.disk.RecordFrame.TYPE_OFFSET;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file of {@link RecordFrame}s up to its first damaged record and says where the good part ends: what a
 * crash in the middle of an append (a torn tail) or a flipped bit leaves is cut off, and everything before it is
 * kept. A record is damaged if its frame runs past the end of the file, its length exceeds the format's maximum,
 * its CRC32C does not match, or the format's {@link Handler} refuses its payload.
 *
 * <p>The file is read through one buffer, which grows only for a record longer than itself, and only after that
 * record's length was checked against the format's maximum and the bytes the file has left: no length read from
 * the file sizes an allocation unchecked. Not thread-safe: one per read, on the reading thread.
 */
public final class RecordReader {
    /** What a format does with each intact record. */
    public interface Handler {
        /**
         * Takes one record whose frame and CRC are intact; {@code payload} holds exactly its payload and is valid
         * only during the call.
         *
         * @return true to read on, false to stop after this record (a format's last record)
         * @throws BadRecordException        to refuse it: the read ends before it
         * @throws BufferUnderflowException  if the payload is shorter than its fields (refused the same way)
         */
        boolean accept(byte type, ByteBuffer payload) throws BadRecordException;
    }

    /**
     * What a read found.
     *
     * @param validEnd offset just past the last record kept (where the read began if none was)
     * @param records  records kept, the one that stopped the read included
     * @param stopped  true if the handler stopped the read
     * @param problem  null if the read stopped or the file ended right after a record; else what was wrong with
     *                 the record at {@code validEnd}
     */
    public record Result(long validEnd, int records, boolean stopped, String problem) {
        public boolean clean() {
            return problem == null;
        }
    }

    private final FileChannel ch;
    private final long size;
    private final int maxPayloadBytes;
    private ByteBuffer buf;
    private long bufStart; // file offset of buf[0]

    /**
     * @param bufferBytes     the read buffer's size (smaller for a smaller file)
     * @param maxPayloadBytes the format's largest legal payload; a longer record is damage
     */
    public RecordReader(FileChannel ch, int bufferBytes, int maxPayloadBytes) throws IOException {
        this.ch = ch;
        this.size = ch.size();
        this.maxPayloadBytes = maxPayloadBytes;
        this.buf = ByteBuffer.allocate((int) Math.min(bufferBytes, Math.max(size, HEADER_LENGTH)));
        buf.limit(0);
    }

    /** The file's size when the reader was made: reading stops there. */
    public long size() {
        return size;
    }

    /**
     * The file's first {@code n} bytes, or all of them if it is shorter (the limit says how many): the format's
     * header, for it to check. Valid until the next call.
     */
    public ByteBuffer head(int n) throws IOException {
        int have = (int) Math.min(size, n);
        if (!have(0, have)) {
            have = buf.limit();
        }
        return buf.slice(0, have);
    }

    /** Hands each intact record from offset {@code from} on to {@code handler}, in file order. */
    public Result records(long from, Handler handler) throws IOException {
        long pos = from;
        int count = 0;
        while (pos < size) {
            long left = size - pos;
            if (left < HEADER_LENGTH) {
                return new Result(pos, count, false, "record header cut short: " + left + " bytes left");
            }
            have(pos, HEADER_LENGTH);
            int at = (int) (pos - bufStart);
            long length = Integer.toUnsignedLong(buf.getInt(at + LENGTH_OFFSET));
            if (length > maxPayloadBytes) {
                return new Result(pos, count, false, "record length=" + length + " > max=" + maxPayloadBytes);
            }
            if (length > left - HEADER_LENGTH) {
                return new Result(pos, count, false, "record length=" + length + " > " + (left - HEADER_LENGTH)
                        + " bytes remaining (torn append)");
            }
            int total = HEADER_LENGTH + (int) length;
            if (!have(pos, total)) {
                return new Result(pos, count, false, "file shrank while read");
            }
            at = (int) (pos - bufStart);
            byte type = buf.get(at + TYPE_OFFSET);
            int stored = buf.getInt(at + CRC_OFFSET);
            int computed = RecordFrame.crc(type, buf.array(), at + HEADER_LENGTH, (int) length);
            if (stored != computed) {
                return new Result(pos, count, false, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored)
                        + ", computed 0x" + Integer.toHexString(computed));
            }
            boolean more;
            try {
                more = handler.accept(type, buf.slice(at + HEADER_LENGTH, (int) length));
            } catch (BufferUnderflowException e) {
                return new Result(pos, count, false, "payload of type 0x" + Integer.toHexString(type & 0xFF)
                        + " cut short at " + length + " bytes");
            } catch (BadRecordException e) {
                return new Result(pos, count, false, e.getMessage());
            }
            count++;
            pos += total;
            if (!more) {
                return new Result(pos, count, true, null);
            }
        }
        return new Result(pos, count, false, null);
    }

    /** Makes file bytes [at, at + n) readable at buf[at - bufStart]; false if the file ends first. */
    private boolean have(long at, int n) throws IOException {
        int off = (int) (at - bufStart);
        if (off >= 0 && off + n <= buf.limit()) {
            return true;
        }
        if (off >= 0 && off <= buf.limit()) {
            buf.position(off); // keep what is already read from {@code at} on
        } else {
            buf.position(buf.limit());
        }
        if (n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, 2 * buf.capacity()));
            bigger.put(buf).flip();
            buf = bigger;
        } else {
            buf.compact().flip();
        }
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
