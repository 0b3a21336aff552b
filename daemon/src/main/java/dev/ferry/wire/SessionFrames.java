package dev.ferry.wire;

import static dev.ferry.wire.FieldReader.bytes;
import static dev.ferry.wire.FieldReader.fileIdOrZero;
import static dev.ferry.wire.FieldReader.long64;
import static dev.ferry.wire.FieldReader.nonNegativeLong;
import static dev.ferry.wire.FieldReader.positiveInt;
import static dev.ferry.wire.FieldReader.str;
import static dev.ferry.wire.FieldReader.u16;
import static dev.ferry.wire.FieldReader.u32asInt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Payloads of the frames that open, keep and end a session: HELLO, CHALLENGE, AUTH, WELCOME, ERROR, PING, PONG,
 * BYE (the 5-byte frame header in front of each is drawn in {@link FrameCodec}). Big-endian; a row is 4 bytes;
 * {@code str} is a u16 byte count then that many bytes of UTF-8; a field after a variable one follows it directly.
 *
 * <pre>
 * HELLO (0x01), sender to receiver
 * +---------------+---------------+---------------+---------------+
 * |                 magic 0x46525259 "FRRY" (u32)                 |
 * +---------------+---------------+---------------+---------------+
 * |       minVersion (u16)        |       maxVersion (u16)        |
 * +-------------------------------+-------------------------------+
 * |  folder (str, at most 255 bytes) ...                          |
 * |  clientNonce (32 bytes) ...                                   |
 * |  software (str, at most 255 bytes) ...                        |
 * +---------------------------------------------------------------+
 *
 * CHALLENGE (0x02), receiver to sender
 * +-------------------------------+-------------------------------+
 * |         version (u16)         |  serverNonce (32 bytes) ...   |
 * +-------------------------------+-------------------------------+
 *
 * AUTH (0x03), sender to receiver
 * +---------------------------------------------------------------+
 * |  proof (32 bytes) = HMAC-SHA256(token, "ferry/1 auth\0"       |
 * |                     | clientNonce | serverNonce | folder) ... |
 * +---------------------------------------------------------------+
 * |  features (u32), version 2 only, absent when 0: bits asked for|
 * +---------------------------------------------------------------+
 *
 * WELCOME (0x04), receiver to sender
 * +---------------------------------------------------------------+
 * |                     maxChunkLength (u32)                      |
 * +---------------------------------------------------------------+
 * |                      maxFileSize (u64)                        |
 * |                                                               |
 * +---------------------------------------------------------------+
 * |  features (u32), version 2 only, absent when 0: bits granted  |
 * +---------------------------------------------------------------+
 *
 * ERROR (0x05), either way
 * +-------------------------------+-------------------------------+
 * |          code (u16)           |  fileId (u32; 0 = session) ...|
 * +-------------------------------+-------------------------------+
 * |  ... fileId, low half         |  message (str, at most 2048   |
 * +-------------------------------+  bytes) ...                   |
 * +---------------------------------------------------------------+
 *
 * PING (0x30) and PONG (0x31), either way
 * +---------------------------------------------------------------+
 * |                         value (u64)                           |
 * |                                                               |
 * +---------------------------------------------------------------+
 *
 * BYE (0x32), sender to receiver: no payload
 * </pre>
 *
 * <p>A writer cuts an ERROR message longer than {@link FrameCodec#MAX_MESSAGE_BYTES} on a character boundary and
 * ends it with "...". Stateless; any thread.
 */
final class SessionFrames {
    private SessionFrames() {
    }

    // ---- decoding -----------------------------------------------------------------------------------------

    static HandshakeFrame.Hello readHello(ByteBuffer p) throws ProtocolException {
        int magic = u32asInt(p, "magic");
        if (magic != Protocol.MAGIC) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "bad magic 0x" + Integer.toHexString(magic) + " (not a ferry client?)");
        }
        return new HandshakeFrame.Hello(u16(p, "minVersion"), u16(p, "maxVersion"), str(p, "folder", Protocol.MAX_NAME_BYTES),
                bytes(p, "clientNonce", Protocol.NONCE_LENGTH), str(p, "software", Protocol.MAX_NAME_BYTES));
    }

    static HandshakeFrame.Challenge readChallenge(ByteBuffer p) throws ProtocolException {
        return new HandshakeFrame.Challenge(u16(p, "version"), bytes(p, "serverNonce", Protocol.NONCE_LENGTH));
    }

    static HandshakeFrame.Auth readAuth(ByteBuffer p) throws ProtocolException {
        return new HandshakeFrame.Auth(bytes(p, "proof", Protocol.PROOF_LENGTH), features(p));
    }

    static HandshakeFrame.Welcome readWelcome(ByteBuffer p) throws ProtocolException {
        return new HandshakeFrame.Welcome(positiveInt(p, "maxChunkLength"), nonNegativeLong(p, "maxFileSize"), features(p));
    }

    /** The optional features word at the end of AUTH and WELCOME (version 2): 0 when the frame ends before it. */
    private static int features(ByteBuffer p) throws ProtocolException {
        return p.hasRemaining() ? u32asInt(p, "features") : 0;
    }

    static Frame.Error readError(ByteBuffer p) throws ProtocolException {
        return new Frame.Error(ErrorCode.byCode(u16(p, "code")), fileIdOrZero(p), str(p, "message", Protocol.MAX_MESSAGE_BYTES));
    }

    static Frame.Ping readPing(ByteBuffer p) throws ProtocolException {
        return new Frame.Ping(long64(p, "value"));
    }

    static Frame.Pong readPong(ByteBuffer p) throws ProtocolException {
        return new Frame.Pong(long64(p, "value"));
    }

    // ---- encoding: each writes the payload and returns the frame's type ------------------------------------

    static byte write(HandshakeFrame.Hello h, FieldWriter w) {
        w.putInt(Protocol.MAGIC).putShort(h.minVersion()).putShort(h.maxVersion()).putStr(h.folder())
                .putBytes(h.clientNonce()).putStr(h.software());
        return FrameType.HELLO;
    }

    static byte write(HandshakeFrame.Challenge c, FieldWriter w) {
        w.putShort(c.version()).putBytes(c.serverNonce());
        return FrameType.CHALLENGE;
    }

    static byte write(HandshakeFrame.Auth a, FieldWriter w) {
        w.putBytes(a.proof());
        if (a.features() != 0) { // a version-1 peer reads exactly the proof
            w.putInt(a.features());
        }
        return FrameType.AUTH;
    }

    static byte write(HandshakeFrame.Welcome welcome, FieldWriter w) {
        w.putInt(welcome.maxChunkLength()).putLong(welcome.maxFileSize());
        if (welcome.features() != 0) {
            w.putInt(welcome.features());
        }
        return FrameType.WELCOME;
    }

    static byte write(Frame.Error e, FieldWriter w) {
        w.putShort(e.code().code()).putInt(e.fileId()).putStr(truncate(e.message(), Protocol.MAX_MESSAGE_BYTES));
        return FrameType.ERROR;
    }

    static byte write(Frame.Ping ping, FieldWriter w) {
        w.putLong(ping.value());
        return FrameType.PING;
    }

    static byte write(Frame.Pong pong, FieldWriter w) {
        w.putLong(pong.value());
        return FrameType.PONG;
    }

    private static String truncate(String s, int maxBytes) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= maxBytes) {
            return s;
        }
        String cut = s;
        while (cut.getBytes(StandardCharsets.UTF_8).length > maxBytes - 3) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }
}
