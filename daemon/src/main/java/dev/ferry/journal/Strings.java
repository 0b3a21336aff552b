package dev.ferry.journal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The two kinds of text a record holds. Paths must round-trip exactly, so they are checked when a record is built
 * (valid Unicode, non-empty, at most {@link JournalFormat#MAX_PATH_BYTES} in UTF-8) and refused otherwise. Reasons
 * are free text from exceptions: they are cut to {@link JournalFormat#MAX_REASON_BYTES} on a character boundary
 * and broken characters replaced, so that what replay reads back equals what was appended. Stateless.
 */
final class Strings {
    private Strings() {
    }

    /** The UTF-8 bytes of a path-like argument; throws naming {@code what} if it cannot be stored as is. */
    static byte[] path(String what, String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be " + (s == null ? "null" : "empty"));
        }
        byte[] b;
        try {
            CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer out = enc.encode(CharBuffer.wrap(s));
            b = new byte[out.remaining()];
            out.get(b);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + "='" + s + "' is not valid Unicode (unpaired surrogate)");
        }
        if (b.length > JournalFormat.MAX_PATH_BYTES) {
            throw new IllegalArgumentException(what + " is " + b.length + " bytes in UTF-8 > max="
                    + JournalFormat.MAX_PATH_BYTES);
        }
        return b;
    }

    /** {@code s} as it will be stored: broken characters replaced, cut to the reason limit. */
    static String reason(String s) {
        if (s == null) {
            throw new IllegalArgumentException("reason must not be null");
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8); // replaces unpaired surrogates with '?'
        int n = b.length;
        if (n > JournalFormat.MAX_REASON_BYTES) {
            n = JournalFormat.MAX_REASON_BYTES;
            while (n > 0 && (b[n] & 0xC0) == 0x80) {
                n--; // b[n] continues a character that starts before it: cut before that character
            }
        }
        String stored = new String(b, 0, n, StandardCharsets.UTF_8);
        return stored.equals(s) ? s : stored;
    }

    /** Decodes {@code n} bytes of strict UTF-8 at the buffer's position and moves past them. */
    static String decode(ByteBuffer p, int n, String what) {
        if (n > p.remaining()) {
            throw new java.nio.BufferUnderflowException();
        }
        ByteBuffer slice = p.slice(p.position(), n);
        p.position(p.position() + n);
        try {
            CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            return dec.decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
    }
}
