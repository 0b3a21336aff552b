package dev.ferry.receive;

import dev.ferry.disk.BadRecordException;
import dev.ferry.disk.FileHeader;
import dev.ferry.disk.RecordReader;
import dev.ferry.disk.RecordWriter;
import dev.ferry.wire.HashAlgorithm;
import dev.ferry.wire.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The sidecar of a partial file: which chunks of it are verified and on disk, so that a transfer interrupted by a
 * dropped link or a crash of either side resumes with only the chunks still missing. Append-only; a record is
 * appended only after the chunk's bytes in the partial file are durable ({@link PartialFile#persist}), so a
 * record never claims more than the disk holds. All integers big-endian.
 *
 * <pre>
 * File header (8 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic (u32) "FSDC"                        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    format version (u16) = 2   |   reserved (u16) = 0, unread  |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Record (9 + length bytes, length {@code <=} MAX_RECORD): the VERSION record first, then CHUNK records
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               length (u32): payload bytes only                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   type (u8)   |   CRC32C (u32) of the type byte + payload ... |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ... CRC32C    |              payload (length bytes) ...       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * 0x01 VERSION  str path | u64 size | i64 mtimeSeconds | u32 mtimeNanos | u32 chunkSize | u8 hashAlgorithm
 *                                                                            (str = u16 byte count + UTF-8)
 * 0x02 CHUNK    u32 index | bytes[d] hash of the chunk as written            (d = digest length)
 * </pre>
 *
 * The header is a {@link FileHeader} and each record a {@code dev.ferry.disk.RecordFrame}. Reading
 * ({@link RecordReader}) stops at the first record that is cut short, fails its CRC, is out of place or does not
 * parse: what came before is kept (a crash tears at most the tail), and {@link Contents#validLength} says where
 * appending may resume. Owned by the session thread that owns the partial file.
 */
final class PartialSidecar implements AutoCloseable {
    static final int MAGIC = 0x46534443; // "FSDC"
    static final int FORMAT_VERSION = 2;
    static final FileHeader HEADER = new FileHeader(MAGIC, FORMAT_VERSION, "ferry partial sidecar");
    static final int HEADER_BYTES = FileHeader.LENGTH;
    static final byte VERSION = 0x01;
    static final byte CHUNK = 0x02;
    /** A VERSION record holds a path of at most 4,096 bytes; CHUNK records are tiny. */
    static final int MAX_RECORD = 8 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;

    /** The file version the chunks belong to. */
    record Version(String path, long size, long mtimeSeconds, int mtimeNanos, int chunkSize, HashAlgorithm algorithm) {
        /** The same file, not just the same chunking: size and mtime as offered. */
        boolean sameFileAs(Version other) {
            return path.equals(other.path) && size == other.size && mtimeSeconds == other.mtimeSeconds
                    && mtimeNanos == other.mtimeNanos && chunkSize == other.chunkSize && algorithm == other.algorithm;
        }
    }

    /** What a sidecar says: its version, the hash of each chunk it records, and where its valid bytes end. */
    record Contents(Version version, Map<Integer, byte[]> chunks, long validLength) {
    }

    private final FileChannel channel;
    private final RecordWriter pending;
    private final int digestLength;

    private PartialSidecar(FileChannel channel, int digestLength) {
        this.channel = channel;
        this.pending = new RecordWriter(channel, BUFFER_BYTES);
        this.digestLength = digestLength;
    }

    /** Starts a new sidecar in {@code ch} (opened empty; the sidecar closes it) for {@code version}; the header and VERSION record are written now. */
    static PartialSidecar create(FileChannel ch, Version version) throws IOException {
        PartialSidecar s = new PartialSidecar(ch, version.algorithm().digestLength());
        s.pending.put(HEADER.put(ByteBuffer.allocate(HEADER_BYTES)).flip());
        byte[] path = version.path().getBytes(StandardCharsets.UTF_8);
        s.pending.begin(2 + path.length + 8 + 8 + 4 + 4 + 1).putShort((short) path.length).put(path)
                .putLong(version.size()).putLong(version.mtimeSeconds()).putInt(version.mtimeNanos())
                .putInt(version.chunkSize()).put((byte) version.algorithm().id());
        s.pending.end(VERSION);
        return s;
    }

    /** Continues an existing sidecar after its last valid record (a torn tail is cut off first). */
    static PartialSidecar append(FileChannel ch, Contents contents) throws IOException {
        ch.truncate(contents.validLength());
        ch.position(contents.validLength());
        return new PartialSidecar(ch, contents.version().algorithm().digestLength());
    }

    /** Records chunk {@code index} with {@code hash} (buffered until {@link #sync}). */
    void chunk(int index, byte[] hash, int hashOffset) throws IOException {
        pending.begin(4 + digestLength).putInt(index).put(hash, hashOffset, digestLength);
        pending.end(CHUNK);
    }

    /** Writes what is buffered, and forces it to disk if {@code force}. */
    void sync(boolean force) throws IOException {
        pending.flush();
        if (force) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Reads a sidecar from {@code ch} (left open); null if its header or VERSION record is unusable. */
    static Contents read(FileChannel ch) throws IOException {
        RecordReader in = new RecordReader(ch, BUFFER_BYTES, MAX_RECORD);
        if (HEADER.problem(in.head(HEADER_BYTES), HEADER_BYTES) != null) {
            return null;
        }
        Records records = new Records();
        long validLength = in.records(HEADER_BYTES, records).validEnd();
        return records.version == null ? null : new Contents(records.version, records.chunks, validLength);
    }

    /** Takes the VERSION record, then CHUNK records of its digest length; refuses any other record. */
    private static final class Records implements RecordReader.Handler {
        private Version version;
        private final Map<Integer, byte[]> chunks = new HashMap<>();

        @Override
        public boolean accept(byte type, ByteBuffer p) throws BadRecordException {
            if (version == null) {
                version = version(type, p);
                return true;
            }
            int d = version.algorithm().digestLength();
            if (type != CHUNK || p.remaining() != 4 + d) {
                throw new BadRecordException("type=" + type + " length=" + p.remaining() + " is not a CHUNK record");
            }
            int index = p.getInt();
            if (index < 0) {
                throw new BadRecordException("chunk index=" + index);
            }
            byte[] hash = new byte[d];
            p.get(hash);
            chunks.put(index, hash);
            return true;
        }

        private static Version version(byte type, ByteBuffer p) throws BadRecordException {
            if (type != VERSION) {
                throw new BadRecordException("type=" + type + " where the VERSION record belongs");
            }
            byte[] path = new byte[Short.toUnsignedInt(p.getShort())];
            p.get(path);
            Version v;
            try {
                v = new Version(new String(path, StandardCharsets.UTF_8), p.getLong(), p.getLong(), p.getInt(),
                        p.getInt(), HashAlgorithm.byId(p.get()));
            } catch (ProtocolException e) {
                throw new BadRecordException(e.getMessage());
            }
            if (p.hasRemaining() || v.size() < 0 || v.chunkSize() <= 0) {
                throw new BadRecordException("VERSION record " + v + " is not usable");
            }
            return v;
        }
    }
}
