package dev.ferry.wire;

import static dev.ferry.wire.FieldReader.bytes;
import static dev.ferry.wire.FieldReader.fileId;
import static dev.ferry.wire.FieldReader.str;

import java.nio.ByteBuffer;

/**
 * Payloads of the two frames of parallel streams (version 2, feature STREAMS): SHARE opens a file being offered to
 * the sender's other connections, JOIN attaches one of them to it. Big-endian; a row is 4 bytes; {@code str} is a u16
 * byte count then that many bytes of UTF-8.
 *
 * <pre>
 * SHARE (0x19), sender to receiver, right before the OFFER of fileId
 * +---------------------------------------------------------------+
 * |                          fileId (u32)                         |
 * +---------------------------------------------------------------+
 * |  key (16 bytes) ...                                           |
 * +---------------------------------------------------------------+
 *
 * JOIN (0x1a), sender to receiver, on another connection to the same folder
 * +---------------------------------------------------------------+
 * |              fileId (u32): a new id of this connection        |
 * +---------------------------------------------------------------+
 * |  key (16 bytes) ...                                           |
 * +---------------------------------------------------------------+
 * |  path (str, at most 4096) ...                                 |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * Stateless; any thread.
 */
final class StreamFrames {
    private StreamFrames() {
    }

    static Frame.Share readShare(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        return new Frame.Share(fileId, bytes(p, "key", Protocol.SHARE_KEY_LENGTH));
    }

    static Frame.Join readJoin(ByteBuffer p) throws ProtocolException {
        int fileId = fileId(p);
        byte[] key = bytes(p, "key", Protocol.SHARE_KEY_LENGTH);
        return new Frame.Join(fileId, key, str(p, "path", Protocol.MAX_PATH_BYTES));
    }

    static byte write(Frame.Share s, FieldWriter w) {
        w.putInt(s.fileId()).putBytes(s.key());
        return FrameType.SHARE;
    }

    static byte write(Frame.Join j, FieldWriter w) {
        w.putInt(j.fileId()).putBytes(j.key()).putStr(j.path());
        return FrameType.JOIN;
    }
}
