package dev.ferry.index;

import static dev.ferry.index.IndexFile.BUFFER_BYTES;
import static dev.ferry.index.IndexFile.DIRECTORY;
import static dev.ferry.index.IndexFile.END;
import static dev.ferry.index.IndexFile.FILE;
import static dev.ferry.index.IndexFile.HEADER;
import static dev.ferry.index.IndexFile.HEADER_LENGTH;
import static dev.ferry.index.IndexFile.MAX_RECORD_LENGTH;
import static dev.ferry.index.IndexFile.SYMLINK;

import dev.ferry.disk.BadRecordException;
import dev.ferry.disk.FileHeader;
import dev.ferry.disk.RecordReader;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.EntryKind;
import dev.ferry.wire.HashAlgorithm;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads the layout drawn in {@link IndexFile}, record by record, handing each intact entry to a sink and stopping
 * at the first damaged record. The file is read through one buffer by a {@link RecordReader} (no copy of the whole
 * file in memory), which grows only for a record longer than itself, and only after that length was checked
 * against the bytes the file has left. Not thread-safe: one per load.
 */
final class IndexDecoder {
    private final FileChannel ch;
    private final Consumer<IndexEntry> sink;
    private int count;

    IndexDecoder(FileChannel ch, Consumer<IndexEntry> sink) {
        this.ch = ch;
        this.sink = sink;
    }

    IndexFile.Contents run() throws IOException {
        RecordReader in = new RecordReader(ch, BUFFER_BYTES, MAX_RECORD_LENGTH);
        ByteBuffer header = in.head(HEADER_LENGTH);
        String problem = HEADER.problem(header, HEADER_LENGTH);
        if (problem == null && FileHeader.reserved(header) != 0) {
            problem = "reserved=" + FileHeader.reserved(header) + ", expected 0";
        }
        if (problem != null) {
            return damaged(0, problem);
        }
        RecordReader.Result r = in.records(HEADER_LENGTH, this::record);
        if (!r.clean()) {
            return damaged(r.validEnd(), r.problem());
        }
        if (!r.stopped()) {
            return damaged(r.validEnd(), "file ends without its END record (cut short)");
        }
        if (r.validEnd() != in.size()) {
            return damaged(r.validEnd(), (in.size() - r.validEnd()) + " stray bytes after the END record");
        }
        return new IndexFile.Contents(count, null, -1);
    }

    /** Takes one checked record: an entry for the sink, or the END record that closes the file. */
    private boolean record(byte type, ByteBuffer p) throws BadRecordException {
        try {
            if (type == END) {
                int counted = p.getInt();
                exhausted(p);
                if (counted != count) {
                    throw new BadRecordException("END record counts " + counted + " entries, read " + count);
                }
                return false;
            }
            sink.accept(entry(type, p));
            count++;
            return true;
        } catch (BufferUnderflowException e) {
            throw e; // the reader names a payload cut short
        } catch (IOException | RuntimeException e) { // a bad field the CRC vouched for: written by a bug
            throw new BadRecordException(e.toString());
        }
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
