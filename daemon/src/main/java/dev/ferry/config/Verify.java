package dev.ferry.config;

/**
 * How a sync decides that a target already holds a file. YAML: {@code verify: quick | checksum}.
 */
public enum Verify {
    /**
     * rsync's quick check: a file the target lists with the size, mtime and mode the source has is taken as the same
     * and not sent; a file changed with its size and mtime put back is missed until it changes again.
     */
    QUICK,
    /** Every file whose size, mtime or mode the target lists alike is offered too, and its chunk hashes compared. */
    CHECKSUM;

    /** Parses the YAML spelling ({@code quick} or {@code checksum}). */
    public static Verify parse(String s) {
        return switch (s) {
            case "quick" -> QUICK;
            case "checksum" -> CHECKSUM;
            default -> throw new IllegalArgumentException("expected quick or checksum, got \"" + s + "\"");
        };
    }

    /** The YAML spelling. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
