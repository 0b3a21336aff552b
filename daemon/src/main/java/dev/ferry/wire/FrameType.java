package dev.ferry.wire;

/**
 * The type byte of every frame (the fifth byte on the wire, after the length). Codes are stable protocol numbers,
 * grouped by exchange: 0x01-0x05 session setup, 0x10-0x1a one file, 0x20-0x24 tree operations, 0x30-0x32
 * keep-alive and end. A code outside this list is a protocol error. Stateless; any thread.
 */
final class FrameType {
    static final byte HELLO = 0x01, CHALLENGE = 0x02, AUTH = 0x03, WELCOME = 0x04, ERROR = 0x05;
    static final byte OFFER = 0x10, HASHES = 0x11, NEED = 0x12, CHUNK = 0x13, ACK = 0x14, NACK = 0x15;
    static final byte COMMIT = 0x16, DONE = 0x17, CHUNK_ZSTD = 0x18;
    static final byte SHARE = 0x19, JOIN = 0x1a;
    static final byte LIST = 0x20, LISTING = 0x21, DELETE = 0x22, RENAME = 0x23, SYMLINK = 0x24;
    static final byte PING = 0x30, PONG = 0x31, BYE = 0x32;

    private FrameType() {
    }

    static boolean known(byte type) {
        return switch (type) {
            case HELLO, CHALLENGE, AUTH, WELCOME, ERROR, OFFER, HASHES, NEED, CHUNK, ACK, NACK, COMMIT, DONE, CHUNK_ZSTD, SHARE, JOIN, PING, PONG, BYE,
                 LIST, LISTING, DELETE, RENAME, SYMLINK -> true;
            default -> false;
        };
    }

    /** Two lower-case hex digits, for error messages ({@code "type 0x13"}). */
    static String hex(byte type) {
        return String.format("%02x", type);
    }
}
