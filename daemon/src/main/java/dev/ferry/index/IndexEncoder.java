package dev.ferry.index;

import static dev.ferry.index.IndexFile.BUFFER_BYTES;
import static dev.ferry.index.IndexFile.COMMON_LENGTH;
import static dev.ferry.index.IndexFile.DIRECTORY;
import static dev.ferry.index.IndexFile.END;
import static dev.ferry.index.IndexFile.FILE;
import static dev.ferry.index.IndexFile.HEADER;
import static dev.ferry.index.IndexFile.HEADER_LENGTH;
import static dev.ferry.index.IndexFile.MAX_STRING_BYTES;
import static dev.ferry.index.IndexFile.SYMLINK;

import dev.ferry.disk.RecordWriter;
import dev.ferry.hash.FileDigest;
import dev.ferry.wire.EntryKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes the layout drawn in {@link IndexFile}: puts each entry's payload into a {@link RecordWriter}, which frames
 * it and writes the buffer out when full. The caller calls {@link #flush} once at the end. Not thread-safe: one per
 * save.
 */
final class IndexEncoder {
    private final RecordWriter out;

    IndexEncoder(FileChannel ch) {
        this.out = new RecordWriter(ch, BUFFER_BYTES);
    }

    void header() throws IOException {
        out.put(HEADER.put(ByteBuffer.allocate(HEADER_LENGTH)).flip());
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
        ByteBuffer buf = out.begin(length);
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
        out.end(type);
    }

    void end(int count) throws IOException {
        out.begin(4).putInt(count);
        out.end(END);
    }

    void flush() throws IOException {
        out.flush();
    }

    private static byte[] utf8(String what, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw new IOException(what + " is " + b.length + " bytes in UTF-8 > max=" + MAX_STRING_BYTES);
        }
        return b;
    }
}
