package dev.ferry.config;

/** When the receiver acks a chunk or commits a file. YAML: {@code durability: fsync | none}. */
public enum Durability {
    /** fsync file data before acking and before the rename that commits a file; survives power loss. */
    FSYNC,
    /** Leave flushing to the OS: faster, but a crash can lose files that were already acked. */
    NONE;

    /** Parses the YAML spelling ({@code fsync} or {@code none}). */
    public static Durability parse(String s) {
        return switch (s) {
            case "fsync" -> FSYNC;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("expected fsync or none, got \"" + s + "\"");
        };
    }

    /** The YAML spelling. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
