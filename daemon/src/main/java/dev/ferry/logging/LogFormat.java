package dev.ferry.logging;

import java.util.Locale;

/** How ferry writes its log lines on stderr. YAML: {@code log-format: text | json}. */
public enum LogFormat {
    /** One {@code key=value} line per event ({@link LineLayout}; under the journal, {@link JournalLineLayout}). */
    TEXT,
    /** One JSON object per line ({@link JsonLineLayout}), for log shippers. */
    JSON;

    /** Without a {@code log-format} key. */
    public static final LogFormat DEFAULT = TEXT;

    /** Parses the YAML spelling ({@code text} or {@code json}). */
    public static LogFormat parse(String s) {
        return switch (s) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("expected text or json, got \"" + s + "\"");
        };
    }

    /** The YAML spelling. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
