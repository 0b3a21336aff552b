package dev.ferry.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds one frame at a time in a heap buffer that grows as needed: the codec reserves the header, the frame's
 * writer appends its fields (big-endian), then the codec fills in the header and hands the bytes to the stream.
 * A value that does not fit its field is a bug of ours, so it throws {@link IllegalArgumentException}. Belongs to
 * the one thread that writes through its codec.
 */
final class FieldWriter {
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    /** Starts a frame: its first {@code headerLength} bytes are left for {@link #finish}. */
    void begin(int headerLength) {
        buffer.clear();
        buffer.position(headerLength);
    }

    /** Writes {@code value} at {@code offset} of the frame begun, without moving on. */
    void putIntAt(int offset, int value) {
        buffer.putInt(offset, value);
    }

    void putByteAt(int offset, byte value) {
        buffer.put(offset, value);
    }

    /** Bytes written since {@link #begin}, the header included. */
    int length() {
        return buffer.position();
    }

    /** Writes the whole frame to {@code out}. */
    void finish(OutputStream out) throws IOException {
        out.write(buffer.array(), 0, buffer.position());
    }

    private FieldWriter ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        return this;
    }

    FieldWriter putByte(int v) {
        ensure(1).buffer.put((byte) v);
        return this;
    }

    FieldWriter putShort(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 value " + v + " out of range");
        }
        ensure(2).buffer.putShort((short) v);
        return this;
    }

    FieldWriter putInt(int v) {
        ensure(4).buffer.putInt(v);
        return this;
    }

    FieldWriter putLong(long v) {
        ensure(8).buffer.putLong(v);
        return this;
    }

    FieldWriter putBytes(byte[] v) {
        ensure(v.length).buffer.put(v);
        return this;
    }

    /** A {@code str}: u16 byte count, then the UTF-8 bytes. */
    FieldWriter putStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("string of " + b.length + " bytes does not fit a u16 length");
        }
        return putShort(b.length).putBytes(b);
    }
}
