package dev.ferry.logging;

/**
 * Makes a log message one line whatever it quotes: a file name or any other string from a peer may hold a newline,
 * a carriage return, an escape sequence or other control characters, which would forge a log line (or recolour a
 * terminal) if written as they are. Each such character is written as {@code \n}, {@code \r}, {@code \t} or
 * {@code \xNN} ({@code \u0085}, {@code \u2028} and {@code \u2029}, which some readers take for line ends, as
 * {@code \\uNNNN}). The text layouts apply it to every message, so no call site can forget; the JSON layout's
 * string escaping does the same job there. Stateless; any thread.
 */
public final class LogText {
    private LogText() {
    }

    /** {@code text} with every control character escaped; the same instance when there is none (the usual case). */
    public static String oneLine(String text) {
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x100) {
                        b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
