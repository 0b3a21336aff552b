package dev.ferry.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Reads one field at a time from a frame's payload (big-endian), checking first that the bytes are there and
 * that the value is in range, so a hostile length never makes the decoder allocate or read past the frame. Every
 * failure is a {@link ProtocolException} that names the field and quotes the value. Stateless; any thread.
 */
final class FieldReader {
    private FieldReader() {
    }

    static void need(ByteBuffer p, int bytes, String field) throws ProtocolException {
        if (p.remaining() < bytes) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "field " + field + " needs " + bytes + " bytes, frame has "
                    + p.remaining() + " left");
        }
    }

    static int u8(ByteBuffer p) throws ProtocolException {
        need(p, 1, "u8");
        return Byte.toUnsignedInt(p.get());
    }

    static int u16(ByteBuffer p, String field) throws ProtocolException {
        need(p, 2, field);
        return Short.toUnsignedInt(p.getShort());
    }

    /** A u32 read as its 32 bits (a CRC, the magic); values ferry compares, never counts with. */
    static int u32asInt(ByteBuffer p, String field) throws ProtocolException {
        need(p, 4, field);
        return p.getInt();
    }

    /** A u32 that must fit a non-negative Java int. */
    static int nonNegativeInt(ByteBuffer p, String field) throws ProtocolException {
        int v = u32asInt(p, field);
        if (v < 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=" + Integer.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    static int positiveInt(ByteBuffer p, String field) throws ProtocolException {
        int v = nonNegativeInt(p, field);
        if (v == 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=0 (must be positive)");
        }
        return v;
    }

    /** A file id or tree-operation id: 1 and up (0 names the whole session, only in ERROR). */
    static int fileId(ByteBuffer p) throws ProtocolException {
        return positiveInt(p, "fileId");
    }

    static int fileIdOrZero(ByteBuffer p) throws ProtocolException {
        return nonNegativeInt(p, "fileId");
    }

    static int nanos(ByteBuffer p) throws ProtocolException {
        int v = nonNegativeInt(p, "mtimeNanos");
        if (v > 999_999_999) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "mtimeNanos=" + v + " > 999999999");
        }
        return v;
    }

    /**
     * An mtime's seconds since the epoch (i64), within what {@link java.time.Instant} holds (about +-1e9 years): a
     * value past it cannot be a file's time, and would fail every later conversion (found by the session fuzz test).
     */
    static long mtimeSeconds(ByteBuffer p) throws ProtocolException {
        long v = long64(p, "mtimeSeconds");
        if (v < Instant.MIN.getEpochSecond() || v > Instant.MAX.getEpochSecond()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, "mtimeSeconds=" + v + " outside " + Instant.MIN.getEpochSecond()
                    + ".." + Instant.MAX.getEpochSecond());
        }
        return v;
    }

    static long long64(ByteBuffer p, String field) throws ProtocolException {
        need(p, 8, field);
        return p.getLong();
    }

    static long nonNegativeLong(ByteBuffer p, String field) throws ProtocolException {
        long v = long64(p, field);
        if (v < 0) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + "=" + Long.toUnsignedString(v) + " out of range");
        }
        return v;
    }

    static byte[] bytes(ByteBuffer p, String field, int n) throws ProtocolException {
        need(p, n, field);
        byte[] b = new byte[n];
        p.get(b);
        return b;
    }

    /** n * size as an int, checked against the bytes left, before anything of that size is allocated. */
    static int checkedProduct(int n, int size, ByteBuffer p, String frame) throws ProtocolException {
        long total = (long) n * size;
        if (total > p.remaining()) {
            throw new ProtocolException(ErrorCode.PROTOCOL, frame + " declares " + n + " entries of " + size + " bytes, frame has "
                    + p.remaining() + " left");
        }
        return (int) total;
    }

    /** A {@code str}: u16 byte count, then that many bytes of strict UTF-8. */
    static String str(ByteBuffer p, String field, int maxBytes) throws ProtocolException {
        int n = u16(p, field + " length");
        if (n > maxBytes) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + " length=" + n + " > max=" + maxBytes);
        }
        need(p, n, field);
        ByteBuffer slice = p.slice(p.position(), n);
        p.position(p.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.PROTOCOL, field + " is not valid UTF-8");
        }
    }
}
