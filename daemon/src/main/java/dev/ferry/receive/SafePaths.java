package dev.ferry.receive;

/**
 * Checks a relative path received from a peer, refusing any name that could land outside the folder root or
 * inside ferry's own state. Rules: not empty, at most {@value #MAX_PATH_BYTES} bytes, no NUL, no other control
 * character (0x01-0x1f, 0x7f: newlines and escapes), no leading '/', segments separated by single '/', no segment
 * "." or "..", none longer than 255 bytes, and the first segment is not {@value #STATE_DIR}. These are checks of the name
 * only: nothing here looks at the disk, as a look followed by a use is a race. Where the path leads is the
 * kernel's to decide, in the call that uses it ({@link dev.ferry.disk.Beneath}: no symlink followed, nothing
 * outside the root).
 *
 * <p>Pure logic; thread-safe.
 */
final class SafePaths {
    static final String STATE_DIR = ".ferry";
    static final int MAX_PATH_BYTES = 4096;
    private static final int MAX_SEGMENT_BYTES = 255;

    private SafePaths() {
    }

    /** Checks the string rules only; returns the segments. */
    static String[] segments(String relative) throws BadPathException {
        if (relative.isEmpty()) {
            throw new BadPathException("empty path");
        }
        if (relative.indexOf('\0') >= 0) {
            throw new BadPathException("path contains NUL: '" + printable(relative) + "'");
        }
        for (int i = 0; i < relative.length(); i++) {
            char c = relative.charAt(i);
            if (c < 0x20 || c == 0x7f) { // a name that would forge a line in a log, a listing or a script
                throw new BadPathException("path contains a control character: '" + printable(relative) + "'");
            }
        }
        if (relative.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new BadPathException("path longer than " + MAX_PATH_BYTES + " bytes");
        }
        if (relative.startsWith("/")) {
            throw new BadPathException("absolute path '" + printable(relative) + "'");
        }
        String[] parts = relative.split("/", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new BadPathException("empty segment in '" + printable(relative) + "'");
            }
            if (part.equals(".") || part.equals("..")) {
                throw new BadPathException("'" + part + "' segment in '" + printable(relative) + "'");
            }
            if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new BadPathException("segment longer than " + MAX_SEGMENT_BYTES + " bytes in '" + printable(relative) + "'");
            }
        }
        if (parts[0].equals(STATE_DIR)) {
            throw new BadPathException("'" + printable(relative) + "' is inside ferry's state folder " + STATE_DIR + "/");
        }
        return parts;
    }

    /**
     * Why a path the kernel would not resolve beneath the root was refused (which segment was the symlink, it does
     * not say; and it may have been swapped back since).
     */
    static String throughSymlink(String relative) {
        return "'" + printable(relative) + "' goes through a symlink on the receiver";
    }

    /**
     * Of the paths an operation was asked for, the one the kernel's refusal of {@code refused} (the path itself or
     * a parent folder of it) was about; the first one if none fits.
     */
    static String askedFor(String refused, String... asked) {
        for (String a : asked) {
            if (a.equals(refused) || a.startsWith(refused + "/")) {
                return a;
            }
        }
        return asked[0];
    }

    /** The parent of a checked relative path ("" for a name at the root). */
    static String parent(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    /** Quotes control characters so a hostile path cannot forge log lines. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 200 ? b + "..." : b.toString();
    }
}
