package dev.ferry.index;

import static dev.ferry.index.IndexFile.BUFFER_BYTES;
import static dev.ferry.index.IndexFile.CRC_OFFSET;
import static dev.ferry.index.IndexFile.DIRECTORY;
import static dev.ferry.index.IndexFile.END;
import static dev.ferry.index.IndexFile.FILE;
import static dev.ferry.index.IndexFile.HEADER_LENGTH;
import static dev.ferry.index.IndexFile.LENGTH_OFFSET;
import static dev.ferry.index.IndexFile.MAGIC;
import static dev.ferry.index.IndexFile.MAGIC_OFFSET;
import static dev.ferry.index.IndexFile.RECORD_HEADER_LENGTH;
import static dev.ferry.index.IndexFile.RESERVED_OFFSET;
import static dev.ferry.index.IndexFile.SYMLINK;
import static dev.ferry.index.IndexFile.TYPE_OFFSET;
import static dev.ferry.index.IndexFile.VERSION;
import static dev.ferry.index.IndexFile.VERSION_OFFSET;

import dev.ferry.hash.FileDigest;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads the layout drawn in {@link IndexFile}, record by record, handing each intact entry to a sink and stopping
 * at the first damaged record. The file is read through one buffer (no copy of the whole file in memory), which
 * grows only for a record longer than itself, and only after that length was checked against the bytes the file
 * has left. Not thread-safe: one per load.
 */
final class IndexDecoder {
    private final FileChannel ch;
    private final long size;
    private final Consumer<IndexEntry> sink;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf;
    private long bufStart;   // file offset of buf[0]
    private int count;

    IndexDecoder(FileChannel ch, Consumer<IndexEntry> sink) throws IOException {
        this.ch = ch;
        this.size = ch.size();
        this.sink = sink;
        this.buf = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(size, HEADER_LENGTH)));
        buf.limit(0);
    }

    IndexFile.Contents run() throws IOException {
        if (!have(0, HEADER_LENGTH)) {
            return damaged(0, "header is " + size + " bytes, expected " + HEADER_LENGTH);
        }
        int magic = buf.getInt(MAGIC_OFFSET);
        if (magic != MAGIC) {
            return damaged(0, "magic=0x" + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC));
        }
        int version = Short.toUnsignedInt(buf.getShort(VERSION_OFFSET));
        int reserved = Short.toUnsignedInt(buf.getShort(RESERVED_OFFSET));
        if (version != VERSION || reserved != 0) {
            return damaged(0, "format version=" + version + " reserved=" + reserved + ", this build reads version="
                    + VERSION + " reserved=0");
        }
        long pos = HEADER_LENGTH;
        while (true) {
            long left = size - pos;
            if (left == 0) {
                return damaged(pos, "file ends without its END record (cut short)");
            }
            if (!have(pos, RECORD_HEADER_LENGTH)) {
                return damaged(pos, "record header cut short: " + left + " bytes left");
            }
            int at = (int) (pos - bufStart);
            long length = Integer.toUnsignedLong(buf.getInt(at + LENGTH_OFFSET));
            if (length > left - RECORD_HEADER_LENGTH) {
                return damaged(pos, "record length=" + length + " > " + (left - RECORD_HEADER_LENGTH) + " bytes remaining");
            }
            int total = RECORD_HEADER_LENGTH + (int) length;
            if (!have(pos, total)) {
                return damaged(pos, "file shrank while read");
            }
            at = (int) (pos - bufStart);
            byte type = buf.get(at + TYPE_OFFSET);
            int stored = buf.getInt(at + CRC_OFFSET);
            crc.reset();
            crc.update(buf.array(), at + TYPE_OFFSET, 1);
            crc.update(buf.array(), at + RECORD_HEADER_LENGTH, (int) length);
            if ((int) crc.getValue() != stored) {
                return damaged(pos, "CRC32C mismatch: stored 0x" + Integer.toHexString(stored) + ", computed 0x"
                        + Integer.toHexString((int) crc.getValue()));
            }
            ByteBuffer payload = buf.slice(at + RECORD_HEADER_LENGTH, (int) length);
            IndexFile.Contents end = record(pos, type, payload, pos + total);
            if (end != null) {
                return end;
            }
            pos += total;
        }
    }

    /** Decodes one checked record; returns the outcome if the file ends or breaks here, else null. */
    private IndexFile.Contents record(long pos, byte type, ByteBuffer p, long next) {
        try {
            if (type == END) {
                int counted = p.getInt();
                exhausted(p);
                if (counted != count) {
                    return damaged(pos, "END record counts " + counted + " entries, read " + count);
                }
                if (next != size) {
                    return damaged(next, (size - next) + " stray bytes after the END record");
                }
                return new IndexFile.Contents(count, null, -1);
            }
            IndexEntry e = entry(type, p);
            sink.accept(e);
            count++;
            return null;
        } catch (BufferUnderflowException e) {
            return damaged(pos, "payload of type 0x" + Integer.toHexString(type & 0xFF) + " cut short at "
                    + p.capacity() + " bytes");
        } catch (IOException | RuntimeException e) { // a bad field the CRC vouched for: written by a bug
            return damaged(pos, e.toString());
        }
    }

    /** Makes file bytes [at, at + n) readable at buf[at - bufStart]; false if the file ends first. */
    private boolean have(long at, int n) throws IOException {
        int off = (int) (at - bufStart);
        if (off + n <= buf.limit()) {
            return true;
        }
        if (n > buf.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(n, 2 * buf.capacity()));
            bigger.put(buf.position(off)).flip();
            buf = bigger;
        } else {
            buf.position(off).compact().flip();
        }
        bufStart = at;
        while (buf.limit() < n) {
            int filled = buf.limit();
            buf.position(filled).limit(buf.capacity());
            int read = ch.read(buf);
            buf.limit(buf.position()).position(0);
            if (read < 0) {
                return false;
            }
        }
        return true;
    }

    private IndexFile.Contents damaged(long offset, String problem) {
        return new IndexFile.Contents(count, problem, offset);
    }

    private static IndexEntry entry(byte type, ByteBuffer p) throws IOException {
        EntryKind kind = switch (type) {
            case FILE -> EntryKind.FILE;
            case DIRECTORY -> EntryKind.DIRECTORY;
            case SYMLINK -> EntryKind.SYMLINK;
            default -> throw new IOException("unknown record type 0x" + Integer.toHexString(type & 0xFF));
        };
        String path = string(p);
        long size = p.getLong();
        long mtimeSeconds = p.getLong();
        int mtimeNanos = p.getInt();
        int mode = Short.toUnsignedInt(p.getShort());
        long inode = p.getLong();
        String target = kind == EntryKind.SYMLINK ? string(p) : null;
        FileDigest digest = kind == EntryKind.FILE ? digest(p, size) : null;
        exhausted(p);
        return new IndexEntry(path, kind, size, mtimeSeconds, mtimeNanos, mode, inode, target, digest);
    }

    private static FileDigest digest(ByteBuffer p, long size) throws IOException {
        int id = Byte.toUnsignedInt(p.get());
        if (id == 0) {
            return null;
        }
        HashAlgorithm algorithm = HashAlgorithm.byId(id);
        int chunkSize = p.getInt();
        long chunkCount = Integer.toUnsignedLong(p.getInt());
        int d = algorithm.digestLength();
        if (chunkSize <= 0 || chunkCount != FileDigest.chunkCount(size, chunkSize)) {
            throw new IOException("chunkSize=" + chunkSize + " chunkCount=" + chunkCount + " do not fit size=" + size);
        }
        if (chunkCount * d + d != p.remaining()) { // checked before allocating
            throw new IOException("digest needs " + (chunkCount * d + d) + " bytes, payload has " + p.remaining());
        }
        byte[] fileHash = new byte[d];
        byte[] chunkHashes = new byte[(int) chunkCount * d];
        p.get(fileHash).get(chunkHashes);
        return new FileDigest(algorithm, chunkSize, size, chunkHashes, fileHash);
    }

    private static String string(ByteBuffer p) {
        int n = Short.toUnsignedInt(p.getShort());
        if (n > p.remaining()) {
            throw new BufferUnderflowException();
        }
        String s = new String(p.array(), p.arrayOffset() + p.position(), n, StandardCharsets.UTF_8);
        p.position(p.position() + n);
        return s;
    }

    private static void exhausted(ByteBuffer p) throws IOException {
        if (p.hasRemaining()) {
            throw new IOException(p.remaining() + " unread payload bytes");
        }
    }
}
