package dev.ferry.receive;

import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The sidecar of a partial file: which chunks of it are verified and on disk, so that a transfer interrupted by a
 * dropped link or a crash of either side resumes with only the chunks still missing. Append-only; a record is
 * appended only after the chunk's bytes in the partial file are durable ({@link PartialFile#makeDurable}), so a
 * record never claims more than the disk holds. All integers big-endian.
 *
 * <pre>
 * File header (8 bytes)
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     magic (u32) "FSDC"                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    format version (u16) = 1   |        reserved (u16) = 0     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Record (9 + length bytes): the VERSION record first, then CHUNK records
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
 * Reading stops at the first record that is cut short, fails its CRC, or does not parse: what came before is
 * kept (a crash tears at most the tail), and {@link Contents#validLength} says where appending may resume.
 * Owned by the session thread that owns the partial file.
 */
final class PartialSidecar implements AutoCloseable {
    static final int MAGIC = 0x46534443; // "FSDC"
    static final int FORMAT_VERSION = 2;
    static final int HEADER_BYTES = 8;
    static final int RECORD_HEADER_BYTES = 9;
    static final byte VERSION = 0x01;
    static final byte CHUNK = 0x02;
    /** A VERSION record holds a path of at most 4,096 bytes; CHUNK records are tiny. */
    static final int MAX_RECORD = 8 * 1024;

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
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private final CRC32C crc = new CRC32C();
    private final int digestLength;

    private PartialSidecar(FileChannel channel, int digestLength) {
        this.channel = channel;
        this.digestLength = digestLength;
    }

    /** Starts a new sidecar (replacing any) for {@code version}; the header and VERSION record are written now. */
    static PartialSidecar create(Path file, Version version) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        PartialSidecar s = new PartialSidecar(ch, version.algorithm().digestLength());
        s.pending.putInt(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0);
        byte[] path = version.path().getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = ByteBuffer.allocate(2 + path.length + 8 + 8 + 4 + 4 + 1);
        p.putShort((short) path.length).put(path).putLong(version.size()).putLong(version.mtimeSeconds())
                .putInt(version.mtimeNanos()).putInt(version.chunkSize()).put((byte) version.algorithm().id());
        s.append(VERSION, p.array());
        return s;
    }

    /** Continues an existing sidecar after its last valid record (a torn tail is cut off first). */
    static PartialSidecar append(Path file, Contents contents) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        ch.truncate(contents.validLength());
        ch.position(contents.validLength());
        return new PartialSidecar(ch, contents.version().algorithm().digestLength());
    }

    /** Records chunk {@code index} with {@code hash} (buffered until {@link #sync}). */
    void chunk(int index, byte[] hash, int hashOffset) throws IOException {
        byte[] p = new byte[4 + digestLength];
        ByteBuffer.wrap(p).putInt(index).put(hash, hashOffset, digestLength);
        append(CHUNK, p);
    }

    private void append(byte type, byte[] payload) throws IOException {
        if (pending.remaining() < RECORD_HEADER_BYTES + payload.length) {
            write();
        }
        crc.reset();
        crc.update(type);
        crc.update(payload);
        pending.putInt(payload.length).put(type).putInt((int) crc.getValue()).put(payload);
    }

    private void write() throws IOException {
        pending.flip();
        while (pending.hasRemaining()) {
            channel.write(pending);
        }
        pending.clear();
    }

    /** Writes what is buffered, and forces it to disk if {@code force}. */
    void sync(boolean force) throws IOException {
        write();
        if (force) {
            channel.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Reads a sidecar; null if there is none or its header or VERSION record is unusable. */
    static Contents read(Path file) throws IOException {
        byte[] all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() > Integer.MAX_VALUE - 16) {
                return null;
            }
            all = new byte[(int) ch.size()];
            ByteBuffer bb = ByteBuffer.wrap(all);
            while (bb.hasRemaining() && ch.read(bb) >= 0) {
                // fill
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(all);
        if (in.remaining() < HEADER_BYTES || in.getInt() != MAGIC || in.getShort() != FORMAT_VERSION) {
            return null;
        }
        in.getShort();
        byte[] first = nextRecord(in, VERSION);
        if (first == null) {
            return null;
        }
        Version version;
        try {
            ByteBuffer p = ByteBuffer.wrap(first);
            byte[] path = new byte[Short.toUnsignedInt(p.getShort())];
            p.get(path);
            version = new Version(new String(path, StandardCharsets.UTF_8), p.getLong(), p.getLong(), p.getInt(), p.getInt(),
                    HashAlgorithm.byId(p.get()));
            if (p.hasRemaining() || version.size() < 0 || version.chunkSize() <= 0) {
                return null;
            }
        } catch (RuntimeException | dev.ferry.wire.ProtocolException e) {
            return null;
        }
        int d = version.algorithm().digestLength();
        Map<Integer, byte[]> chunks = new HashMap<>();
        long valid = in.position();
        byte[] rec;
        while ((rec = nextRecord(in, CHUNK)) != null && rec.length == 4 + d) {
            ByteBuffer p = ByteBuffer.wrap(rec);
            int index = p.getInt();
            if (index < 0) {
                break;
            }
            chunks.put(index, Arrays.copyOfRange(rec, 4, 4 + d));
            valid = in.position();
        }
        return new Contents(version, chunks, valid);
    }

    /** The payload of the next record if it is whole, has type {@code type} and a matching CRC; else null. */
    private static byte[] nextRecord(ByteBuffer in, byte type) {
        if (in.remaining() < RECORD_HEADER_BYTES) {
            return null;
        }
        int length = in.getInt();
        byte t = in.get();
        int storedCrc = in.getInt();
        if (length < 0 || length > MAX_RECORD || length > in.remaining() || t != type) {
            return null;
        }
        byte[] payload = new byte[length];
        in.get(payload);
        CRC32C crc = new CRC32C();
        crc.update(t);
        crc.update(payload);
        return (int) crc.getValue() == storedCrc ? payload : null;
    }
}
