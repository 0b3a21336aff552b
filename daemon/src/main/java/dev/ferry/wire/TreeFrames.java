package dev.ferry.wire;

import static dev.ferry.wire.FieldReader.fileId;
import static dev.ferry.wire.FieldReader.mtimeSeconds;
import static dev.ferry.wire.FieldReader.nanos;
import static dev.ferry.wire.FieldReader.nonNegativeInt;
import static dev.ferry.wire.FieldReader.nonNegativeLong;
import static dev.ferry.wire.FieldReader.str;
import static dev.ferry.wire.FieldReader.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Payloads of the frames that read and change the receiver's tree without moving file bytes: LIST, LISTING,
 * DELETE, RENAME, SYMLINK. Big-endian; a row is 4 bytes; {@code str} is a u16 byte count then that many bytes of
 * UTF-8 (paths at most {@value FrameCodec#MAX_PATH_BYTES} bytes); a field after a variable one follows it directly.
 *
 * <pre>
 * LIST (0x20), sender to receiver
 * +---------------------------------------------------------------+
 * |                        requestId (u32)                        |
 * +---------------------------------------------------------------+
 * |  subtree (str; "" = the whole folder) ...                     |
 * +---------------------------------------------------------------+
 *
 * LISTING (0x21), receiver to sender
 * +---------------+---------------+---------------+---------------+
 * |                        requestId (u32)                        |
 * +---------------+-----------------------------------------------+
 * |  flags (u8)   |  n (u32): entries, at most 4096 ...           |
 * +---------------+-----------------------------------------------+
 * |  n times:  kind (u8) | path (str) | size (u64)                |
 * |            | mtimeSeconds (i64) | mtimeNanos (u32)            |
 * |            | mode (u32) | linkTarget (str; "" unless symlink) |
 * +---------------------------------------------------------------+
 *   flags: 0x01 MORE (another LISTING for this request follows)
 *   kind: 0 file, 1 directory, 2 symlink
 *
 * DELETE (0x22), sender to receiver
 * +---------------------------------------------------------------+
 * |                           opId (u32)                          |
 * +---------------------------------------------------------------+
 * |  path (str) ...                                               |
 * +---------------------------------------------------------------+
 *
 * RENAME (0x23), sender to receiver
 * +---------------------------------------------------------------+
 * |                           opId (u32)                          |
 * +---------------------------------------------------------------+
 * |  from (str) ... | to (str) ...                                |
 * +---------------------------------------------------------------+
 *
 * SYMLINK (0x24), sender to receiver
 * +---------------------------------------------------------------+
 * |                           opId (u32)                          |
 * +---------------------------------------------------------------+
 * |  path (str) ... | target (str) ... | mtimeSeconds (i64)       |
 * |  | mtimeNanos (u32)                                           |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Operation ids (DELETE, RENAME, SYMLINK) share the file-id space of one connection: DONE or ERROR with that id
 * answers them. Stateless; any thread.
 */
final class TreeFrames {
    /** LISTING flag: another LISTING for this request follows. */
    static final int LISTING_MORE = 0x01;
    /** The fixed part of a listed entry (kind, two empty strs, size, mtime, nanos, mode): sizes the entry list. */
    private static final int MIN_ENTRY_BYTES = 1 + 2 + 8 + 8 + 4 + 4 + 2;

    private TreeFrames() {
    }

    // ---- decoding -----------------------------------------------------------------------------------------

    static Frame.ListRequest readList(ByteBuffer p) throws ProtocolException {
        return new Frame.ListRequest(nonNegativeInt(p, "requestId"), str(p, "subtree", Protocol.MAX_PATH_BYTES));
    }

    static Frame.Listing readListing(ByteBuffer p) throws ProtocolException {
        int requestId = nonNegativeInt(p, "requestId");
        int flags = u8(p);
        int n = nonNegativeInt(p, "entry count");
        if (n > Protocol.MAX_LISTING_ENTRIES) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "LISTING entry count=" + n + " > max=" + Protocol.MAX_LISTING_ENTRIES);
        }
        List<Frame.ListedEntry> entries = new ArrayList<>(Math.min(n, p.remaining() / MIN_ENTRY_BYTES + 1));
        for (int i = 0; i < n; i++) {
            EntryKind kind = entryKind(u8(p));
            String path = str(p, "path", Protocol.MAX_PATH_BYTES);
            long size = nonNegativeLong(p, "size");
            long mtime = mtimeSeconds(p);
            int nanos = nanos(p);
            int mode = nonNegativeInt(p, "mode");
            entries.add(new Frame.ListedEntry(kind, path, size, mtime, nanos, mode, str(p, "linkTarget", Protocol.MAX_PATH_BYTES)));
        }
        return new Frame.Listing(requestId, entries, (flags & LISTING_MORE) != 0);
    }

    private static EntryKind entryKind(int code) throws ProtocolException {
        for (EntryKind kind : EntryKind.values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new ProtocolException(ErrorCode.PROTOCOL, "LISTING entry kind=" + code + " (expected 0, 1 or 2)");
    }

    static Frame.Delete readDelete(ByteBuffer p) throws ProtocolException {
        return new Frame.Delete(fileId(p), str(p, "path", Protocol.MAX_PATH_BYTES));
    }

    static Frame.Rename readRename(ByteBuffer p) throws ProtocolException {
        return new Frame.Rename(fileId(p), str(p, "from", Protocol.MAX_PATH_BYTES), str(p, "to", Protocol.MAX_PATH_BYTES));
    }

    static Frame.Symlink readSymlink(ByteBuffer p) throws ProtocolException {
        return new Frame.Symlink(fileId(p), str(p, "path", Protocol.MAX_PATH_BYTES), str(p, "target", Protocol.MAX_PATH_BYTES),
                mtimeSeconds(p), nanos(p));
    }

    // ---- encoding: each writes the payload and returns the frame's type ------------------------------------

    static byte write(Frame.ListRequest l, FieldWriter w) {
        w.putInt(l.requestId()).putStr(l.subtree());
        return FrameType.LIST;
    }

    static byte write(Frame.Listing l, FieldWriter w) {
        w.putInt(l.requestId()).putByte(l.more() ? LISTING_MORE : 0).putInt(l.entries().size());
        for (Frame.ListedEntry e : l.entries()) {
            w.putByte(e.kind().code).putStr(e.path()).putLong(e.size()).putLong(e.mtimeSeconds()).putInt(e.mtimeNanos())
                    .putInt(e.mode()).putStr(e.linkTarget());
        }
        return FrameType.LISTING;
    }

    static byte write(Frame.Delete d, FieldWriter w) {
        w.putInt(d.opId()).putStr(d.path());
        return FrameType.DELETE;
    }

    static byte write(Frame.Rename r, FieldWriter w) {
        w.putInt(r.opId()).putStr(r.from()).putStr(r.to());
        return FrameType.RENAME;
    }

    static byte write(Frame.Symlink l, FieldWriter w) {
        w.putInt(l.opId()).putStr(l.path()).putStr(l.target()).putLong(l.mtimeSeconds()).putInt(l.mtimeNanos());
        return FrameType.SYMLINK;
    }
}
