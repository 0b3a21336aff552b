package dev.ferry.index;

import static dev.ferry.index.IndexFile.BUFFER_BYTES;
import static dev.ferry.index.IndexFile.COMMON_LENGTH;
import static dev.ferry.index.IndexFile.CRC_OFFSET;
import static dev.ferry.index.IndexFile.DIRECTORY;
import static dev.ferry.index.IndexFile.END;
import static dev.ferry.index.IndexFile.FILE;
import static dev.ferry.index.IndexFile.MAGIC;
import static dev.ferry.index.IndexFile.MAX_STRING_BYTES;
import static dev.ferry.index.IndexFile.RECORD_HEADER_LENGTH;
import static dev.ferry.index.IndexFile.SYMLINK;
import static dev.ferry.index.IndexFile.TYPE_OFFSET;
import static dev.ferry.index.IndexFile.VERSION;

import dev.ferry.hash.FileDigest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes the layout drawn in {@link IndexFile}: fills a buffer record by record and writes it out when full. The
 * caller calls {@link #flush} once at the end. Not thread-safe: one per save.
 */
final class IndexEncoder {
    private final FileChannel ch;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);

    IndexEncoder(FileChannel ch) {
        this.ch = ch;
    }

    void header() {
        buf.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0);
    }

    void entry(IndexEntry e) throws IOException {
        byte[] path = utf8("path", e.path());
        byte[] target = e.linkTarget() == null ? null : utf8("linkTarget of " + e.path(), e.linkTarget());
        FileDigest d = e.digest();
        int length = COMMON_LENGTH + path.length + switch (e.kind()) {
            case FILE -> 1 + (d == null ? 0 : 8 + d.fileHash().length + d.chunkHashes().length);
            case DIRECTORY -> 0;
            case SYMLINK -> 2 + target.length;
        };
        byte type = switch (e.kind()) {
            case FILE -> FILE;
            case DIRECTORY -> DIRECTORY;
            case SYMLINK -> SYMLINK;
        };
        int start = begin(type, length);
        buf.putShort((short) path.length).put(path).putLong(e.size()).putLong(e.mtimeSeconds())
                .putInt(e.mtimeNanos()).putShort((short) e.mode()).putLong(e.inode());
        if (e.kind() == EntryKind.FILE) {
            if (d == null) {
                buf.put((byte) 0);
            } else {
                buf.put((byte) d.algorithm().id()).putInt(d.chunkSize()).putInt(d.chunkCount())
                        .put(d.fileHash()).put(d.chunkHashes());
            }
        } else if (target != null) {
            buf.putShort((short) target.length).put(target);
        }
        finish(start);
    }

    void end(int count) throws IOException {
        int start = begin(END, 4);
        buf.putInt(count);
        finish(start);
    }

    /** Makes room for the whole record and writes its header with a CRC placeholder; returns its offset. */
    private int begin(byte type, int length) throws IOException {
        int total = RECORD_HEADER_LENGTH + length;
        if (buf.remaining() < total) {
            flush();
            if (buf.capacity() < total) {
                buf = ByteBuffer.allocate(total);
            }
        }
        int start = buf.position();
        buf.putInt(length).put(type).putInt(0);
        return start;
    }

    private void finish(int start) {
        crc.reset();
        crc.update(buf.array(), start + TYPE_OFFSET, 1);
        crc.update(buf.array(), start + RECORD_HEADER_LENGTH, buf.position() - start - RECORD_HEADER_LENGTH);
        buf.putInt(start + CRC_OFFSET, (int) crc.getValue());
    }

    void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    private static byte[] utf8(String what, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw new IOException(what + " is " + b.length + " bytes in UTF-8 > max=" + MAX_STRING_BYTES);
        }
        return b;
    }
}
