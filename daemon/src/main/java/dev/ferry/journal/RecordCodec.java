package dev.ferry.journal;

import static dev.ferry.journal.JournalFormat.CHUNKS_ACKED;
import static dev.ferry.journal.JournalFormat.CHUNK_FAILED;
import static dev.ferry.journal.JournalFormat.FILE_COMMITTED;
import static dev.ferry.journal.JournalFormat.FILE_DROPPED;
import static dev.ferry.journal.JournalFormat.FILE_ENQUEUED;
import static dev.ferry.journal.JournalFormat.FILE_PARKED;
import static dev.ferry.journal.JournalFormat.MAX_HASH_BYTES;
import static dev.ferry.journal.JournalFormat.MAX_PATH_BYTES;
import static dev.ferry.journal.JournalFormat.MAX_REASON_BYTES;
import static dev.ferry.journal.JournalFormat.MAX_RECORD_LENGTH;
import static dev.ferry.journal.JournalFormat.OP_DELETE;
import static dev.ferry.journal.JournalFormat.OP_MAKE_DIR;
import static dev.ferry.journal.JournalFormat.OP_RENAME;
import static dev.ferry.journal.JournalFormat.OP_SYMLINK;
import static dev.ferry.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static dev.ferry.journal.JournalFormat.TREE_OP_DONE;
import static dev.ferry.journal.JournalFormat.TREE_OP_QUEUED;

import dev.ferry.disk.RecordFrame;
import dev.ferry.journal.JournalRecord.ChunkFailed;
import dev.ferry.journal.JournalRecord.ChunksAcked;
import dev.ferry.journal.JournalRecord.FileCommitted;
import dev.ferry.journal.JournalRecord.FileDropped;
import dev.ferry.journal.JournalRecord.FileEnqueued;
import dev.ferry.journal.JournalRecord.FileParked;
import dev.ferry.journal.JournalRecord.TreeOpDone;
import dev.ferry.journal.JournalRecord.TreeOpQueued;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns a {@link JournalRecord} into the framed bytes drawn in {@link JournalFormat} (a {@link RecordFrame} around
 * the record's payload) and a checked payload back into a record. Encoding reuses one buffer: not thread-safe, one instance per writer (the appenders share one under the
 * journal's lock; a compaction uses its own). Decoding is static.
 */
final class RecordCodec {
    private final ByteBuffer frame = ByteBuffer.allocate(RECORD_HEADER_LENGTH + MAX_RECORD_LENGTH);

    /** The framed record (length, type, CRC32C, payload), ready to read; valid until the next call. */
    ByteBuffer encode(JournalRecord r) {
        int start = RecordFrame.begin(frame.clear());
        RecordFrame.finish(frame, start, payload(r, frame));
        return frame.flip();
    }

    private static byte payload(JournalRecord r, ByteBuffer out) {
        switch (r) {
            case FileEnqueued e -> {
                FileVersion v = e.version();
                byte[] hash = v.fileHash();
                out.putLong(e.fileId());
                putStr(out, Strings.path("path", e.path()));
                out.putLong(v.size()).putLong(v.mtimeNanos()).put((byte) hash.length).put(hash)
                        .putInt(v.chunkSize()).putInt(v.chunkCount());
                return FILE_ENQUEUED;
            }
            case ChunksAcked a -> {
                out.putLong(a.fileId()).putInt(a.fromChunk()).putInt(a.toChunkExclusive());
                return CHUNKS_ACKED;
            }
            case ChunkFailed f -> {
                out.putLong(f.fileId()).putInt(f.chunk()).putInt(f.attempt());
                putStr(out, f.reason().getBytes(StandardCharsets.UTF_8));
                return CHUNK_FAILED;
            }
            case FileCommitted c -> {
                out.putLong(c.fileId());
                return FILE_COMMITTED;
            }
            case FileDropped d -> {
                out.putLong(d.fileId());
                putStr(out, d.reason().getBytes(StandardCharsets.UTF_8));
                return FILE_DROPPED;
            }
            case FileParked p -> {
                out.putLong(p.fileId()).putLong(p.retryAtEpochMillis());
                putStr(out, p.reason().getBytes(StandardCharsets.UTF_8));
                return FILE_PARKED;
            }
            case TreeOpQueued q -> {
                out.putLong(q.opId());
                treeOp(q.op(), out);
                return TREE_OP_QUEUED;
            }
            case TreeOpDone d -> {
                out.putLong(d.opId());
                return TREE_OP_DONE;
            }
        }
    }

    private static void treeOp(TreeOp op, ByteBuffer out) {
        byte[] none = new byte[0];
        switch (op) {
            case TreeOp.Delete d -> putOp(out, OP_DELETE, Strings.path("path", d.path()), none);
            case TreeOp.Rename m -> putOp(out, OP_RENAME, Strings.path("from", m.from()), Strings.path("to", m.to()));
            case TreeOp.Symlink s ->
                    putOp(out, OP_SYMLINK, Strings.path("path", s.path()), Strings.path("target", s.target()));
            case TreeOp.MakeDir m -> putOp(out, OP_MAKE_DIR, Strings.path("path", m.path()), none);
        }
    }

    private static void putOp(ByteBuffer out, byte kind, byte[] path, byte[] second) {
        out.put(kind);
        putStr(out, path);
        putStr(out, second);
    }

    private static void putStr(ByteBuffer out, byte[] b) {
        out.putShort((short) b.length).put(b);
    }

    // ---- decoding -------------------------------------------------------------------------------------------

    /**
     * The record held by a payload whose CRC matched.
     *
     * @throws IllegalArgumentException  for an unknown type, a field out of range, or bytes left over
     * @throws BufferUnderflowException  if the payload is shorter than its fields
     */
    static JournalRecord decode(byte type, ByteBuffer p) {
        JournalRecord r = switch (type) {
            case FILE_ENQUEUED -> {
                long fileId = p.getLong();
                String path = str(p, MAX_PATH_BYTES, "path");
                long size = p.getLong();
                long mtimeNanos = p.getLong();
                int n = Byte.toUnsignedInt(p.get());
                if (n > MAX_HASH_BYTES) {
                    throw new IllegalArgumentException("fileHash length=" + n + " > max=" + MAX_HASH_BYTES);
                }
                byte[] hash = new byte[n];
                p.get(hash);
                yield new FileEnqueued(fileId, path, new FileVersion(size, mtimeNanos, hash, p.getInt(), p.getInt()));
            }
            case CHUNKS_ACKED -> new ChunksAcked(p.getLong(), p.getInt(), p.getInt());
            case CHUNK_FAILED -> new ChunkFailed(p.getLong(), p.getInt(), p.getInt(), reason(p));
            case FILE_COMMITTED -> new FileCommitted(p.getLong());
            case FILE_DROPPED -> new FileDropped(p.getLong(), reason(p));
            case FILE_PARKED -> {
                long fileId = p.getLong();
                long retryAt = p.getLong();
                yield new FileParked(fileId, reason(p), retryAt);
            }
            case TREE_OP_QUEUED -> new TreeOpQueued(p.getLong(), treeOp(p));
            case TREE_OP_DONE -> new TreeOpDone(p.getLong());
            default -> throw new IllegalArgumentException("unknown record type 0x" + Integer.toHexString(type & 0xFF));
        };
        if (p.hasRemaining()) {
            throw new IllegalArgumentException(p.remaining() + " unread payload bytes after " + r);
        }
        return r;
    }

    private static TreeOp treeOp(ByteBuffer p) {
        byte kind = p.get();
        String path = str(p, MAX_PATH_BYTES, "path");
        String second = str(p, MAX_PATH_BYTES, "second path");
        return switch (kind) {
            case OP_DELETE -> noSecond(new TreeOp.Delete(path), second);
            case OP_RENAME -> new TreeOp.Rename(path, second);
            case OP_SYMLINK -> new TreeOp.Symlink(path, second);
            case OP_MAKE_DIR -> noSecond(new TreeOp.MakeDir(path), second);
            default -> throw new IllegalArgumentException("unknown tree op kind=" + kind);
        };
    }

    private static TreeOp noSecond(TreeOp op, String second) {
        if (!second.isEmpty()) {
            throw new IllegalArgumentException("second path of " + op + " must be empty");
        }
        return op;
    }

    private static String reason(ByteBuffer p) {
        String s = str(p, MAX_REASON_BYTES, "reason");
        if (!Strings.reason(s).equals(s)) {
            throw new IllegalArgumentException("reason is not in its stored form");
        }
        return s;
    }

    private static String str(ByteBuffer p, int maxBytes, String what) {
        int n = Short.toUnsignedInt(p.getShort());
        if (n > maxBytes) {
            throw new IllegalArgumentException(what + " length=" + n + " > max=" + maxBytes);
        }
        return Strings.decode(p, n, what);
    }
}
